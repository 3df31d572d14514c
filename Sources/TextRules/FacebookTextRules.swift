/// A Facebook Page post's rules: 63,206 characters, counted as UTF-16 code units (the
/// conservative reading: an emoji may take two), with links and hashtags found by
/// twitter-text's rules.
public struct FacebookTextRules: NetworkTextRules {
    public var limit: Int

    public init(limit: Int = 63_206) {
        self.limit = limit
    }

    public var network: Network { .facebook }

    public func check(_ text: String) -> TextCheck {
        let scalars = Array(text.unicodeScalars)
        let extractor = TwitterTextExtractor()
        let entities = TwitterTextExtractor.removingOverlaps(
            extractor.urlEntities(in: scalars) + extractor.hashtagEntities(in: scalars))
        let length = text.utf16.count
        return TextCheck(
            network: .facebook, length: length, limit: limit, problems: length > limit ? [.tooLong] : [],
            entities: entities)
    }
}
