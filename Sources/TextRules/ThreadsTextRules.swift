/// Threads' rules: 500 characters, where — per the Threads API documentation — an emoji counts
/// as many as its UTF-8 bytes (a 😀 is 4) and every other grapheme cluster as one; and at most
/// 5 distinct links, beyond which Threads refuses the post (`THREADS_API__LINK_LIMIT_EXCEEDED`).
///
/// Links and hashtags follow twitter-text's rules, mentions Instagram's usernames.
public struct ThreadsTextRules: NetworkTextRules {
    public var limit: Int
    public var maxLinks: Int

    public init(limit: Int = 500, maxLinks: Int = 5) {
        self.limit = limit
        self.maxLinks = maxLinks
    }

    public var network: Network { .threads }

    public func check(_ text: String) -> TextCheck {
        var prepared = PreparedText(text)
        return check(&prepared)
    }

    /// `check(_:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText) -> TextCheck {
        let urls = prepared.urlEntities
        let entities = TwitterTextExtractor.removingOverlaps(
            urls + prepared.hashtagEntities + prepared.instagramMentionEntities)

        // ASCII text (as many UTF-8 bytes as scalars) holds no emoji, so its length is its
        // grapheme count, which other networks may have counted already.
        let length = prepared.text.utf8.count == prepared.scalars.count
            ? prepared.graphemeCount : Self.length(of: prepared.text)
        var problems: [TextProblem] = []
        if length > limit { problems.append(.tooLong) }
        // Only more links than the limit can be more distinct links: most texts skip the set.
        if urls.count > maxLinks, Set(urls.map(\.text)).count > maxLinks { problems.append(.tooManyLinks) }
        return TextCheck(network: .threads, length: length, limit: limit, problems: problems, entities: entities)
    }

    /// Grapheme clusters, an emoji counting its UTF-8 bytes.
    ///
    /// Walks grapheme boundaries by index rather than making each `Character`, and gathers a
    /// cluster's scalars (into one reused buffer) only when its first scalar may start an emoji.
    static func length(of text: String) -> Int {
        var length = 0
        var scalars: [Unicode.Scalar] = []
        let unicodeScalars = text.unicodeScalars
        var start = text.startIndex
        while start < text.endIndex {
            let end = text.index(after: start)
            defer { start = end }
            let bytes = text.utf8.distance(from: start, to: end)
            // One byte is one ASCII scalar alone, which is no keycap.
            guard bytes > 1, EmojiSequenceScanner.mayStart(with: unicodeScalars[start]) else {
                length += 1
                continue
            }
            scalars.removeAll(keepingCapacity: true)
            scalars.append(contentsOf: unicodeScalars[start..<end])
            length += EmojiSequenceScanner.sequenceLength(in: scalars, at: 0) > 0 ? bytes : 1
        }
        return length
    }
}
