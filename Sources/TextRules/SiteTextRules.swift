/// The rules of a Site channel, Trestle's own public page and feeds: a generous 10,000
/// characters counted by grapheme cluster (what a reader sees as one character), with links that
/// carry `http://` or `https://`, Mastodon-style mentions (`@user@host`) and hashtags marked, so
/// the page can make them into links.
public struct SiteTextRules: NetworkTextRules {
    public var limit: Int

    public init(limit: Int = 10_000) {
        self.limit = limit
    }

    public var network: Network { .site }

    public func check(_ text: String) -> TextCheck {
        var prepared = PreparedText(text)
        return check(&prepared)
    }

    /// `check(_:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText) -> TextCheck {
        let scalars = prepared.scalars
        let mentions = MastodonMentionScanner(scalars: scalars).matches().map {
            TextEntity(kind: .mention, start: $0.range.lowerBound, end: $0.range.upperBound, text: scalars.string($0.range))
        }
        let urlsAndMentions = TwitterTextExtractor.removingOverlaps(prepared.urlEntitiesWithProtocol + mentions)
        let length = prepared.graphemeCount
        return TextCheck(
            network: .site, length: length, limit: limit, problems: length > limit ? [.tooLong] : [],
            entities: TwitterTextExtractor.removingOverlaps(urlsAndMentions + prepared.hashtagEntities))
    }
}
