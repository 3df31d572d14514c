import Feeds
import Foundation
import Testing

/// Feeds that are broken or built to hurt: a clear error with its place for what is not
/// well-formed, as much as can be read from odd content, and fixed bounds on everything.
@Suite struct HostileFeedTests {
    private func xmlError(_ text: String) -> FeedError? {
        do {
            _ = try FeedParser.parse(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func aMismatchedEndTagIsReportedAtItsLineAndColumn() {
        let feed = "<rss version=\"2.0\">\n  <channel>\n    <title>Oops</titel>\n  </channel>\n</rss>\n"
        #expect(xmlError(feed) == .xml(message: "</titel> where </title> was expected", line: 3, column: 16))
    }

    @Test func eachKindOfMalformedXMLSaysWhereItWent() {
        let cases: [(String, String, Int, Int)] = [
            ("<rss>\n<channel>\n", "the feed ends inside <channel>", 3, 1),
            ("<rss><channel><title a=b>x</title></channel></rss>", "an attribute value without quotes", 1, 24),
            ("<rss></rss>\ntrailing words", "text after the root element", 2, 1),
            ("<rss><item><title>café <b>x</title></item></rss>", "</title> where </b> was expected", 1, 28),
            ("<rss><![CDATA[ never closed", "a CDATA section is not closed", 1, 6),
            ("<rss><!-- never closed", "a comment is not closed", 1, 6),
            ("<rss></rss><rss></rss>", "a second root element", 1, 12),
            ("<rss a=\"<\"></rss>", "'<' inside an attribute value", 1, 9),
            ("", "the feed is empty", 1, 1),
            ("<rss><channel></channel></rss></rss>", "</rss> closes nothing", 1, 31),
        ]
        for (feed, message, line, column) in cases {
            #expect(xmlError(feed) == .xml(message: message, line: line, column: column), "\(feed.debugDescription)")
        }
    }

    @Test func wellFormedXMLThatIsNoFeedSaysSo() {
        #expect(xmlError("<!DOCTYPE html><html><body>Hello</body></html>") == .notAFeed(message: "a web page, not a feed"))
        #expect(xmlError("<opml version=\"2.0\"/>") == .notAFeed(message: "XML whose root element <opml> is not RSS or Atom"))
        #expect(xmlError("{\"title\": \"no version, no items\"}") == .notAFeed(message: "JSON without a JSON Feed version or items"))
        #expect(xmlError("{\"version\": ") == .json(message: "not valid JSON"))
    }

    @Test func oddContentInAWellFormedFeedGivesWhatCanBeRead() throws {
        let feed = try FeedParser.parse(Array("""
            <rss version="2.0"><channel><title>Odd &unknown; &amp co &#xD800; &#99999999;</title>
            <item><title>  </title><link>javascript:alert(1)</link><pubDate>someday</pubDate>
            <enclosure url="data:audio/mpeg;base64,AAAA" length="-5"/><category/><category>  x </category></item>
            <item><title>Fine</title><link>/relative</link></item></channel></rss>
            """.utf8), url: URL(string: "https://bakery.example/feed"))
        // Unknown entities and a bare & stay as written; numbers naming no character become U+FFFD.
        #expect(feed.title == "Odd &unknown; &amp co \u{FFFD} \u{FFFD}")
        let odd = feed.items[0]
        #expect(odd.title == nil && odd.link == nil && odd.published == nil && odd.enclosures.isEmpty && odd.categories == ["x"])
        #expect(odd.id.hasPrefix("hash:"))
        #expect(feed.items[1].link?.absoluteString == "https://bakery.example/relative")
    }

    @Test func anEntityBombIsNeverExpanded() throws {
        var doctype = "<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            doctype += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
        }
        doctype += "<!ENTITY secret SYSTEM \"file:///etc/passwd\">\n]>\n"
        let feed = try FeedParser.parse(Array((doctype + "<rss version=\"2.0\"><channel><title>&lol9;&secret;</title></channel></rss>").utf8))
        #expect(feed.title == "&lol9;&secret;")
    }

    @Test func deepNestingFailsFastAtTheDepthBound() {
        let depth = 100_000
        let xml = "<rss>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</rss>"
        let clock = ContinuousClock()
        let started = clock.now
        #expect(xmlError(xml) == .xml(message: "elements nested deeper than 256", line: 1, column: 6 + 255 * 3))
        let json = "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(xmlError(json) == .json(message: "JSON nested deeper than 64"))
        #expect(clock.now - started < .seconds(2))
    }

    @Test func thousandsOfNamespaceDeclarationsDoNotSlowEveryElement() throws {
        let declarations = (0..<50_000).map { " xmlns:p\($0)=\"urn:x:\($0)\"" }.joined()
        let items = String(repeating: "<item><title>t</title><zz:x/></item>", count: 5_000)
        let clock = ContinuousClock()
        let started = clock.now
        let feed = try FeedParser.parse(Array("<rss version=\"2.0\"\(declarations)><channel>\(items)</channel></rss>".utf8))
        #expect(feed.items.count == 5_000)
        // A guard against the quadratic walk (minutes), not a timing: a debug build on a busy
        // machine takes a few seconds.
        #expect(clock.now - started < .seconds(20))
    }

    @Test func itemsBeyondTheBoundAreLeftOut() throws {
        let items = String(repeating: "<item><title>t</title></item>", count: FeedParser.mostItems + 5)
        let feed = try FeedParser.parse(Array("<rss version=\"2.0\"><channel>\(items)</channel></rss>".utf8))
        #expect(feed.items.count == FeedParser.mostItems)
    }

    @Test func aHugeTitleIsCut() throws {
        let title = String(repeating: "ü", count: 100_000)
        let feed = try FeedParser.parse(Array("<rss version=\"2.0\"><channel><title>\(title)</title></channel></rss>".utf8))
        #expect((1...2_000).contains(feed.title?.utf8.count ?? 0))
        #expect(feed.title?.allSatisfy { $0 == "ü" } == true)
    }

    @Test func undeclaredCommonPrefixesReadAsTheirNamespaces() throws {
        let feed = try FeedParser.parse(Array("""
            <rss version="2.0"><channel><item><guid>a</guid><content:encoded>&lt;p&gt;Hi&lt;/p&gt;</content:encoded>
            <dc:creator>Jo</dc:creator><media:thumbnail url="https://cdn.example/t.jpg"/><foo:creator>Not Jo</foo:creator></item></channel></rss>
            """.utf8))
        #expect(feed.items[0].content == "<p>Hi</p>")
        #expect(feed.items[0].authors == [FeedAuthor(name: "Jo")])
        #expect(feed.items[0].image?.absoluteString == "https://cdn.example/t.jpg")
    }
}
