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
        let scalars = Array(text.unicodeScalars)
        let extractor = TwitterTextExtractor()
        let urls = extractor.urlEntities(in: scalars)
        let mentions = InstagramMentionScanner(scalars: scalars).matches().map {
            TextEntity(kind: .mention, start: $0.lowerBound, end: $0.upperBound, text: scalars.string($0))
        }
        let entities = TwitterTextExtractor.removingOverlaps(urls + extractor.hashtagEntities(in: scalars) + mentions)

        let length = Self.length(of: text)
        var problems: [TextProblem] = []
        if length > limit { problems.append(.tooLong) }
        if Set(urls.map(\.text)).count > maxLinks { problems.append(.tooManyLinks) }
        return TextCheck(network: .threads, length: length, limit: limit, problems: problems, entities: entities)
    }

    /// Grapheme clusters, an emoji counting its UTF-8 bytes.
    static func length(of text: String) -> Int {
        var length = 0
        for character in text {
            let scalars = Array(character.unicodeScalars)
            if EmojiSequenceScanner.sequenceLength(in: scalars, at: 0) > 0 {
                length += character.utf8.count
            } else {
                length += 1
            }
        }
        return length
    }
}
