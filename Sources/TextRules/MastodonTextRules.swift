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
        var prepared = PreparedText(text)
        return check(&prepared, contentWarning: contentWarning)
    }

    /// `check(_:contentWarning:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText, contentWarning: String = "") -> TextCheck {
        let text = prepared.text
        let scalars = prepared.scalars
        let urls = prepared.urlEntitiesWithProtocol
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
            length = contentWarning.isEmpty ? prepared.graphemeCount : (contentWarning + text).count
        } else {
            // Rewrite as Mastodon does, then count: links become placeholders, remote mentions `@user`.
            // Built as UTF-8 bytes: appending scalar slices to a `String` copies through UTF-32.
            var countable: [UInt8] = []
            countable.reserveCapacity(prepared.text.utf8.count)
            var copied = 0
            for entity in counted {
                scalars.appendUTF8(copied..<entity.start, to: &countable)
                if entity.kind == .url {
                    countable.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: charactersReservedPerURL))
                } else {
                    scalars.appendUTF8(entity.start..<(localPartEnds[entity.start] ?? entity.end), to: &countable)
                }
                copied = entity.end
            }
            scalars.appendUTF8(copied..<scalars.count, to: &countable)
            length = (contentWarning + String(decoding: countable, as: UTF8.self)).count
        }

        let entities = TwitterTextExtractor.removingOverlaps(counted + prepared.hashtagEntities)
        return TextCheck(
            network: .mastodon, length: length, limit: limit, problems: length > limit ? [.tooLong] : [],
            entities: entities)
    }
}
