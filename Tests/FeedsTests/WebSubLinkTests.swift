import Feeds
import Foundation
import Testing

/// A feed names its WebSub hub and its own address in each format's way, so a subscriber can
/// ask the hub to push new versions.
@Suite struct WebSubLinkTests {
    @Test func rssNamesItsHubAndSelfWithAtomLinks() throws {
        let feed = try FeedParser.parse(Data("""
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Blog</title>
            <atom:link rel="hub" href="https://pubsubhubbub.appspot.com/"/>
            <atom:link rel="self" type="application/rss+xml" href="https://blog.example/feed/"/>
            <link>https://blog.example/</link></channel></rss>
            """.utf8))
        #expect(feed.hub?.absoluteString == "https://pubsubhubbub.appspot.com/")
        #expect(feed.selfURL?.absoluteString == "https://blog.example/feed/")
        #expect(feed.link?.absoluteString == "https://blog.example/", "the hub is no alternate link")
    }

    @Test func atomNamesThemWithLinksRelativeToItsBase() throws {
        let feed = try FeedParser.parse(Data("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
            <link rel="hub" href="/hub"/><link rel="self" href="/atom.xml"/><link href="/"/></feed>
            """.utf8), url: URL(string: "https://blog.example/feeds/atom.xml"))
        #expect(feed.hub?.absoluteString == "https://blog.example/hub")
        #expect(feed.selfURL?.absoluteString == "https://blog.example/atom.xml")
    }

    @Test func jsonFeedNamesThemAsHubsAndFeedURL() throws {
        let feed = try FeedParser.parse(Data("""
            {"version": "https://jsonfeed.org/version/1.1", "title": "Blog", "feed_url": "https://blog.example/feed.json",
             "hubs": [{"type": "WebSub", "url": "https://hub.example/"}], "items": []}
            """.utf8))
        #expect(feed.hub?.absoluteString == "https://hub.example/")
        #expect(feed.selfURL?.absoluteString == "https://blog.example/feed.json")
    }

    @Test func aFeedWithoutAHubHasNone() throws {
        let feed = try FeedParser.parse(Data(#"<rss version="2.0"><channel><title>Blog</title></channel></rss>"#.utf8))
        #expect(feed.hub == nil)
        #expect(feed.selfURL == nil)
    }
}
