/// Bluesky's rules: at most 300 grapheme clusters and 3,000 UTF-8 bytes, with links, mentions
/// and tags given as facets (UTF-8 byte offsets, end exclusive).
///
/// `length` counts graphemes. Mention facets carry the handle until the caller resolves its
/// DID (see `BlueskyFacet.Feature`).
public struct BlueskyTextRules: NetworkTextRules {
    public var limit: Int
    public var maxBytes: Int

    public init(limit: Int = 300, maxBytes: Int = 3000) {
        self.limit = limit
        self.maxBytes = maxBytes
    }

    public var network: Network { .bluesky }

    public func check(_ text: String) -> TextCheck {
        var prepared = PreparedText(text)
        return check(&prepared)
    }

    /// `check(_:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText) -> TextCheck {
        let detected = BlueskyFacetDetector(scalars: prepared.scalars).detect()
        let length = prepared.graphemeCount
        var problems: [TextProblem] = []
        if length > limit { problems.append(.tooLong) }
        if prepared.text.utf8.count > maxBytes { problems.append(.tooManyBytes) }
        return TextCheck(
            network: .bluesky, length: length, limit: limit, problems: problems, entities: detected.map(\.entity),
            blueskyFacets: detected.map(\.facet))
    }

    /// The facets alone, for building an `app.bsky.feed.post` record.
    public func facets(in text: String) -> [BlueskyFacet] {
        BlueskyFacetDetector(scalars: Array(text.unicodeScalars)).detect().map(\.facet)
    }
}
