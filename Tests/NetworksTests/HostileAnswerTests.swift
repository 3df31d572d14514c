import Foundation
import NIOHTTP1
@testable import Networks
import Testing

/// Any server a person names can answer anything: numbers in its headers and JSON are bounded
/// before use, and an out-of-range one is unreadable, never a trap.
@Suite struct HostileAnswerTests {
    private func response(_ headers: [(String, String)], body: String = "") -> NetworkHTTPClient.Response {
        NetworkHTTPClient.Response(status: 429, headers: HTTPHeaders(headers), body: Data(body.utf8))
    }

    @Test(arguments: [
        ("X-RateLimit-Reset", "1e300"), ("X-RateLimit-Reset", "nan"), ("X-RateLimit-Reset", "inf"), ("RateLimit-Reset", "-inf"),
        ("Retry-After", "99999999999999999999999999"), ("Retry-After", "9223372036854775807"), ("x-rate-limit-reset", "1.8e19"),
        ("X-RateLimit-Reset", "9999-12-31T23:59:59Z"), ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"), ("Retry-After", "604801"),
    ])
    func anAbsurdWaitIsUnreadableNotATrap(_ header: (String, String)) {
        #expect(RetryAfter.seconds(response([header])) == nil)
    }

    @Test func aWaitInThePastOrNegativeIsNoWait() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryAfter.seconds(response([("X-RateLimit-Reset", "-1e300")]), now: now) == 0)
        #expect(RetryAfter.seconds(response([("X-RateLimit-Reset", "2020-01-01T00:00:00Z")]), now: now) == 0)
        #expect(RetryAfter.seconds(response([("RateLimit-Reset", "1799999000")]), now: now) == 0)
    }

    @Test func sensibleWaitsAreRead() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryAfter.seconds(response([("Retry-After", "120")]), now: now) == 120)
        #expect(RetryAfter.seconds(response([("Retry-After", "604800")]), now: now) == 604_800)
        #expect(RetryAfter.seconds(response([("X-RateLimit-Reset", "1800000030")]), now: now) == 30)
        #expect(RetryAfter.seconds(response([("RateLimit-Reset", "2.5")]), now: now) == 3)
        #expect(RetryAfter.seconds(response([("X-RateLimit-Reset", "2027-01-15T08:00:05.500Z")]), now: Date(timeIntervalSince1970: 1_800_000_000 - 86_400 * 1_000)) == nil)
    }

    private func instance(_ json: String) throws -> MastodonInstance {
        try JSONDecoder().decode(MastodonInstance.self, from: Data(json.utf8))
    }

    @Test func anInstanceLimitBeyondWhatTrestleCountsIsReadAsTheCeiling() throws {
        let huge = try instance(#"{"domain": "x.example", "configuration": {"statuses": {"max_characters": 9223372036854775807}}}"#)
        #expect(huge.maxCharacters == MastodonInstance.longestPostLimit)
        let pleroma = try instance(#"{"uri": "p.example", "max_toot_chars": 5000000}"#)
        #expect(pleroma.maxCharacters == 100_000)
        #expect(try instance(#"{"domain": "x.example", "configuration": {"statuses": {"max_characters": 1000}}}"#).maxCharacters == 1000)
    }

    @Test(arguments: [
        #"{"configuration": {"statuses": {"characters_reserved_per_url": 9223372036854775807}}}"#,
        #"{"configuration": {"statuses": {"characters_reserved_per_url": 1001}}}"#,
        #"{"configuration": {"statuses": {"characters_reserved_per_url": -1}}}"#,
        #"{"configuration": {"statuses": {"max_characters": 0}}}"#,
        #"{"configuration": {"statuses": {"max_characters": 1e300}}}"#,
        #"{"configuration": {"statuses": {"max_characters": 99999999999999999999999}}}"#,
    ])
    func anInstanceWithLimitsTrestleCannotCountForIsRefused(_ json: String) {
        #expect(throws: (any Error).self) { try instance(json) }
    }

    @Test func anAccountsDisplayNameIsShortenedAndAbsurdFieldsRefused() throws {
        let long = String(repeating: "é", count: 10_000)
        let account = try JSONDecoder().decode(MastodonAccount.self, from: Data(#"{"id": "1", "username": "shop", "acct": "shop", "display_name": "\#(long)"}"#.utf8))
        #expect(account.displayName.count == 100)
        let hugeID = String(repeating: "9", count: 1_000)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(MastodonAccount.self, from: Data(#"{"id": "\#(hugeID)", "username": "shop", "acct": "shop", "display_name": ""}"#.utf8))
        }
    }
}

/// A link's card, read from whatever the page sends.
@Suite struct LinkPreviewTests {
    private let page = URL(string: "https://bakery.example/news/rye")!

    @Test func openGraphWinsThenTwitterThenTheTitle() {
        let og = LinkPreview.read(html: Data(#"<meta property="og:title" content="A &amp; B"><meta name="twitter:title" content="T"><title>Page</title><meta property="og:image" content="../img/rye.jpg">"#.utf8), pageURL: page)
        #expect(og?.title == "A & B")
        #expect(og?.imageURL?.absoluteString == "https://bakery.example/img/rye.jpg")
        #expect(LinkPreview.read(html: Data(#"<META NAME=twitter:title CONTENT=Short><title>Page</title>"#.utf8), pageURL: page)?.title == "Short")
        #expect(LinkPreview.read(html: Data("<title>\n  Only   the title &#8212; &#x1F35E;\n</title>".utf8), pageURL: page)?.title == "Only the title — 🍞")
        #expect(LinkPreview.read(html: Data("<p>No title at all</p>".utf8), pageURL: page) == nil)
    }

    @Test func hostilePagesGiveBoundedCardsOrNone() {
        let long = String(repeating: "x", count: 100_000)
        let card = LinkPreview.read(html: Data(#"<meta property="og:title" content="\#(long)"><meta property="og:description" content="\#(long)"><meta property="og:image" content="javascript:alert(1)">"#.utf8), pageURL: page)
        #expect(card?.title.count == 300 && card?.description.count == 1_000)
        #expect(card?.imageURL == nil, "only http(s) images")
        #expect(LinkPreview.read(html: Data(("<title>" + String(repeating: "<meta", count: 50_000)).utf8), pageURL: page) == nil)
        #expect(LinkPreview.read(html: Data(#"<meta property="og:title" content="unterminated"#.utf8), pageURL: page) == nil)
        #expect(LinkPreview.clean("&#99999999999;&#xFFFFFFFFFF;&bogus;&") == "&#99999999999;&#xFFFFFFFFFF;&bogus;&")
    }
}
