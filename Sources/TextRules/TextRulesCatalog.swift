/// The text rules of every network, with defaults, so a caller can ask for the rules of a
/// `Network` without knowing the types. Replace a network's rules where a channel knows better
/// (a Mastodon instance's own limit and link reservation).
public struct TextRulesCatalog: Sendable {
    public var x: XTextRules
    public var mastodon: MastodonTextRules
    public var bluesky: BlueskyTextRules
    public var linkedin: LinkedInTextRules
    public var facebook: FacebookTextRules
    public var instagram: InstagramTextRules
    public var threads: ThreadsTextRules
    public var site: SiteTextRules

    public init(
        x: XTextRules = XTextRules(),
        mastodon: MastodonTextRules = MastodonTextRules(),
        bluesky: BlueskyTextRules = BlueskyTextRules(),
        linkedin: LinkedInTextRules = LinkedInTextRules(),
        facebook: FacebookTextRules = FacebookTextRules(),
        instagram: InstagramTextRules = InstagramTextRules(),
        threads: ThreadsTextRules = ThreadsTextRules(),
        site: SiteTextRules = SiteTextRules()
    ) {
        self.x = x
        self.mastodon = mastodon
        self.bluesky = bluesky
        self.linkedin = linkedin
        self.facebook = facebook
        self.instagram = instagram
        self.threads = threads
        self.site = site
    }

    /// Every network with its documented defaults.
    public static let standard = TextRulesCatalog()

    public func rules(for network: Network) -> any NetworkTextRules {
        switch network {
        case .x: x
        case .mastodon: mastodon
        case .bluesky: bluesky
        case .linkedin: linkedin
        case .facebook: facebook
        case .instagram: instagram
        case .threads: threads
        case .site: site
        }
    }

    /// Checks `text` against each of `networks`.
    ///
    /// The same answers as each network's own `check(_:)`, but the work networks have in common
    /// (scalars, twitter-text's link and hashtag scans, counts) is done once for all of them.
    public func check(_ text: String, for networks: [Network]) -> [Network: TextCheck] {
        var prepared = PreparedText(text)
        var results: [Network: TextCheck] = [:]
        results.reserveCapacity(networks.count)
        for network in networks {
            results[network] = check(&prepared, for: network)
        }
        return results
    }

    /// Dispatches to the concrete rules, since the shared-work entry points are internal and so
    /// cannot be requirements of the public `NetworkTextRules`.
    private func check(_ prepared: inout PreparedText, for network: Network) -> TextCheck {
        switch network {
        case .x: x.check(&prepared)
        case .mastodon: mastodon.check(&prepared)
        case .bluesky: bluesky.check(&prepared)
        case .linkedin: linkedin.check(&prepared)
        case .facebook: facebook.check(&prepared)
        case .instagram: instagram.check(&prepared)
        case .threads: threads.check(&prepared)
        case .site: site.check(&prepared)
        }
    }
}
