import TextRules

extension Channel {
    /// The rules the channel's network counts by, with what the channel knows better (a
    /// Mastodon instance's own limit and link reservation).
    var textRules: TextRulesCatalog {
        var catalog = TextRulesCatalog.standard
        if network == .mastodon {
            catalog.mastodon = MastodonTextRules(limit: textLimit ?? 500, charactersReservedPerURL: charactersReservedPerURL ?? 23)
        }
        return catalog
    }
}
