/// Instagram's caption rules: 2,200 characters (UTF-16 code units, the conservative reading),
/// at most 30 hashtags and 20 mentions — Instagram refuses a caption with more.
///
/// Entities are hashtags (twitter-text's rules) and `@username` mentions; captions do not link
/// URLs, so none are reported.
public struct InstagramTextRules: NetworkTextRules {
    public var limit: Int
    public var maxHashtags: Int
    public var maxMentions: Int

    public init(limit: Int = 2200, maxHashtags: Int = 30, maxMentions: Int = 20) {
        self.limit = limit
        self.maxHashtags = maxHashtags
        self.maxMentions = maxMentions
    }

    public var network: Network { .instagram }

    public func check(_ text: String) -> TextCheck {
        var prepared = PreparedText(text)
        return check(&prepared)
    }

    /// `check(_:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText) -> TextCheck {
        let hashtags = prepared.hashtagEntities
        let mentions = prepared.instagramMentionEntities
        let length = prepared.utf16Count
        var problems: [TextProblem] = []
        if length > limit { problems.append(.tooLong) }
        if hashtags.count > maxHashtags { problems.append(.tooManyHashtags) }
        if mentions.count > maxMentions { problems.append(.tooManyMentions) }
        return TextCheck(
            network: .instagram, length: length, limit: limit, problems: problems,
            entities: TwitterTextExtractor.removingOverlaps(hashtags + mentions))
    }
}
