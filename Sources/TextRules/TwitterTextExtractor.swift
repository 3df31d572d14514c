/// Finds links, mentions and hashtags the way twitter-text (X's open-source text library) does,
/// checked against its conformance suite (`extract.yml`).
///
/// Offsets count Unicode scalars of the text as given. Mastodon's counter uses the same rules
/// for links, with `requiresProtocol`; Facebook, LinkedIn, Instagram and Threads use them for the
/// links and hashtags they show.
public struct TwitterTextExtractor: Sendable, Hashable {
    /// Whether a link needs `http://` or `https://`; twitter-text also finds `example.com`.
    public var requiresProtocol: Bool

    public init(requiresProtocol: Bool = false) {
        self.requiresProtocol = requiresProtocol
    }

    /// Links, in text order.
    public func urls(in text: String) -> [TextEntity] {
        let scalars = Array(text.unicodeScalars)
        return urlEntities(in: scalars)
    }

    /// `@username` mentions (without `@user/list` list mentions), in text order.
    public func mentions(in text: String) -> [TextEntity] {
        mentionEntities(in: Array(text.unicodeScalars))
    }

    /// Hashtags that are not part of a link, in text order.
    public func hashtags(in text: String) -> [TextEntity] {
        let scalars = Array(text.unicodeScalars)
        let tags = hashtagEntities(in: scalars)
        guard !tags.isEmpty else { return [] }
        return Self.removingOverlaps(urlEntities(in: scalars) + tags).filter { $0.kind == .hashtag }
    }

    /// Links, mentions and hashtags in text order; where two overlap the earlier one wins.
    public func entities(in text: String) -> [TextEntity] {
        entities(in: Array(text.unicodeScalars))
    }

    func entities(in scalars: [Unicode.Scalar]) -> [TextEntity] {
        let urls = urlEntities(in: scalars)
        return Self.removingOverlaps(urls + hashtagEntities(in: scalars) + mentionEntities(in: scalars))
    }

    func urlEntities(in scalars: [Unicode.Scalar]) -> [TextEntity] {
        TwitterURLScanner(scalars: scalars, includesURLsWithoutProtocol: !requiresProtocol).matches().map {
            TextEntity(kind: .url, start: $0.range.lowerBound, end: $0.range.upperBound, text: scalars.string($0.range))
        }
    }

    func mentionEntities(in scalars: [Unicode.Scalar]) -> [TextEntity] {
        TwitterMentionScanner(scalars: scalars).matches().compactMap { match in
            guard !match.isList else { return nil }
            return TextEntity(
                kind: .mention, start: match.range.lowerBound, end: match.range.upperBound,
                text: scalars.string(match.range))
        }
    }

    func hashtagEntities(in scalars: [Unicode.Scalar]) -> [TextEntity] {
        TwitterHashtagScanner(scalars: scalars).matches().map {
            TextEntity(kind: .hashtag, start: $0.lowerBound, end: $0.upperBound, text: scalars.string($0))
        }
    }

    /// Sorted by start (stably, so a link beats a hashtag starting at the same place), dropping
    /// every entity that starts inside the one before it.
    static func removingOverlaps(_ entities: [TextEntity]) -> [TextEntity] {
        // Most texts' entities are already in order and apart; then sorting changes nothing and
        // nothing is dropped, so skip the sort's allocations.
        if zip(entities, entities.dropFirst()).allSatisfy({ $0.end <= $1.start }) { return entities }
        let sorted = entities.enumerated().sorted {
            ($0.element.start, $0.offset) < ($1.element.start, $1.offset)
        }.map(\.element)
        var result: [TextEntity] = []
        result.reserveCapacity(sorted.count)
        for entity in sorted {
            if let previous = result.last, previous.end > entity.start { continue }
            result.append(entity)
        }
        return result
    }
}
