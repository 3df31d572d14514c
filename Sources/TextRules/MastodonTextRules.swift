/// Mastodon's rules (`StatusLengthValidator`): the post text and its content warning count
/// together, by grapheme cluster (what a reader sees as one character).
///
/// Every link with `http://` or `https://` counts as the instance's
/// `charactersReservedPerURL` however long it is; a link without a protocol is plain text; a
/// remote mention `@user@domain` counts as `@user`. The limit and the link reservation come
/// from the instance's configuration (`configuration.statuses` in `/api/v2/instance`) when a
/// channel is known, 500 and 23 otherwise.
public struct MastodonTextRules: NetworkTextRules {
    public var limit: Int
    public var charactersReservedPerURL: Int

    public init(limit: Int = 500, charactersReservedPerURL: Int = 23) {
        self.limit = limit
        self.charactersReservedPerURL = charactersReservedPerURL
    }

    public var network: Network { .mastodon }

    public func check(_ text: String) -> TextCheck {
        check(text, contentWarning: "")
    }

    public func check(_ text: String, contentWarning: String) -> TextCheck {
        let scalars = Array(text.unicodeScalars)
        let extractor = TwitterTextExtractor(requiresProtocol: true)
        let urls = extractor.urlEntities(in: scalars)
        let mentionMatches = MastodonMentionScanner(scalars: scalars).matches()
        let mentions = mentionMatches.map {
            TextEntity(
                kind: .mention, start: $0.range.lowerBound, end: $0.range.upperBound, text: scalars.string($0.range))
        }
        let counted = TwitterTextExtractor.removingOverlaps(urls + mentions)
        let localPartEnds = Dictionary(
            mentionMatches.map { ($0.range.lowerBound, $0.localPartEnd) }, uniquingKeysWith: { first, _ in first })

        let length: Int
        if counted.isEmpty {
            length = contentWarning.isEmpty ? text.count : (contentWarning + text).count
        } else {
            // Rewrite as Mastodon does, then count: links become placeholders, remote mentions `@user`.
            var countable = String.UnicodeScalarView()
            var copied = 0
            let placeholder = String(repeating: "x", count: charactersReservedPerURL).unicodeScalars
            for entity in counted {
                countable.append(contentsOf: scalars[copied..<entity.start])
                if entity.kind == .url {
                    countable.append(contentsOf: placeholder)
                } else {
                    countable.append(contentsOf: scalars[entity.start..<(localPartEnds[entity.start] ?? entity.end)])
                }
                copied = entity.end
            }
            countable.append(contentsOf: scalars[copied...])
            length = (contentWarning + String(countable)).count
        }

        let hashtags = extractor.hashtagEntities(in: scalars)
        let entities = TwitterTextExtractor.removingOverlaps(counted + hashtags)
        return TextCheck(
            network: .mastodon, length: length, limit: limit, problems: length > limit ? [.tooLong] : [],
            entities: entities)
    }
}
