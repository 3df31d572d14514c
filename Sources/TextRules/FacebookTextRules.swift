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
        var prepared = PreparedText(text)
        return check(&prepared)
    }

    /// `check(_:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText) -> TextCheck {
        CodeUnitCounting.check(&prepared, network: .facebook, limit: limit)
    }
}
