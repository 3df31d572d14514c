/// The check shared by networks that count UTF-16 code units (their services are Java, so an
/// emoji may take two) and mark links and hashtags by twitter-text's rules.
enum CodeUnitCounting {
    static func check(_ prepared: inout PreparedText, network: Network, limit: Int) -> TextCheck {
        let length = prepared.utf16Count
        return TextCheck(
            network: network, length: length, limit: limit, problems: length > limit ? [.tooLong] : [],
            entities: prepared.urlAndHashtagEntities)
    }
}
