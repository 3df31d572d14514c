import Foundation

/// Tells a person's click from a fetcher's: the link previews every network makes (Mastodon's
/// servers, Bluesky's card service, Facebook's, X's, LinkedIn's, messengers'), search engines'
/// crawlers, and anything that says it is a bot. Fetchers are counted apart, never as clicks.
enum LinkFetchers {
    /// Parts of a `User-Agent` that only fetchers send, lowercased.
    static let marks = [
        // The networks' link previews.
        "mastodon/", "pleroma", "akkoma", "misskey", "gotosocial", "cardyb", "bluesky", "facebookexternalhit", "facebot",
        "meta-externalagent", "twitterbot", "linkedinbot", "threads", "instagram", "pinterest", "redditbot", "tumblr",
        // Messengers and chat apps unfurling a link.
        "slackbot", "slack-imgproxy", "discordbot", "telegrambot", "whatsapp", "skypeuripreview", "signal", "viber", "snapchat",
        // Search engines, link checkers and scripts.
        "googlebot", "google-inspectiontool", "bingbot", "bingpreview", "duckduckbot", "yandex", "baiduspider", "applebot", "petalbot",
        "embedly", "iframely", "opengraph", "python-requests", "python-urllib", "go-http-client", "okhttp", "headlesschrome",
        "bot", "crawl", "spider", "preview", "scraper", "fetcher", "http.rb", "curl/", "wget/",
    ]

    /// Whether a request for a short link comes from a fetcher rather than a person: a `HEAD`,
    /// no `User-Agent`, or one that carries a fetcher's mark.
    static func isFetcher(method: String, userAgent: String?) -> Bool {
        if method == "HEAD" { return true }
        guard let userAgent, !userAgent.isEmpty else { return true }
        let lowered = userAgent.prefix(512).lowercased()
        return marks.contains { lowered.contains($0) }
    }
}
