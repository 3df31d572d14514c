/// The check shared by networks that count UTF-16 code units (their services are Java, so an
/// emoji may take two) and mark links and hashtags by twitter-text's rules.
enum CodeUnitCounting {
    static func check(_ text: String, network: Network, limit: Int) -> TextCheck {
        let scalars = Array(text.unicodeScalars)
        let extractor = TwitterTextExtractor()
        let entities = TwitterTextExtractor.removingOverlaps(
            extractor.urlEntities(in: scalars) + extractor.hashtagEntities(in: scalars))
        let length = text.utf16.count
        return TextCheck(
            network: network, length: length, limit: limit, problems: length > limit ? [.tooLong] : [],
            entities: entities)
    }
}
