import Feeds
import Foundation
import Fuzzing
import Testing

/// The XML reader, the JSON Feed reader and the date reader under the seeded mutation fuzzer,
/// over the fixtures: no crash, nothing slow, and every answer within the model's bounds.
@Suite struct FeedsFuzzTests {
    private static let xmlTokens = [
        "<", ">", "</", "/>", "<?xml version=\"1.0\" encoding=\"utf-16\"?>", "<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]>", "<![CDATA[", "]]>",
        "<!--", "-->", "&amp;", "&#x1F35E;", "&#0;", "&#xFFFFFFFF;", "&nbsp;", "&", "xmlns=\"http://www.w3.org/2005/Atom\"",
        "xmlns:media=\"http://search.yahoo.com/mrss/\"", "xml:base=\"../\"", "xml:base=\"javascript:\"", "<item>", "</item>", "<entry>",
        "<link>", "href=\"", "<guid>", "<pubDate>", "<enclosure url=\"/a\" length=\"99999999999999999999\"/>", "\u{FEFF}", "\"", "'",
    ]
    private static let jsonTokens = [
        "{", "}", "[", "]", ":", ",", "\"", "null", "true", "1e999", "-0", "9223372036854775808", "\"\\ud800\"", "\"items\"", "\"id\"",
        "\"url\"", "\"authors\"", "\"attachments\"", "\"size_in_bytes\"", "\"date_published\"", "\"javascript:x\"", "\"/relative\"",
    ]

    private static func checkBounds(_ feed: Feed) {
        #expect(feed.items.count <= FeedParser.mostItems)
        #expect((feed.title?.utf8.count ?? 0) <= 2_000)
        for link in [feed.link, feed.image].compactMap({ $0 }) { #expect(["http", "https"].contains(link.scheme?.lowercased())) }
        for item in feed.items {
            #expect(!item.id.isEmpty && item.id.utf8.count <= 2_048 + 8)
            #expect((item.title?.utf8.count ?? 0) <= 2_000)
            #expect(item.authors.count <= 100 && item.categories.count <= 100 && item.enclosures.count <= 100)
            for enclosure in item.enclosures { #expect((0...(1 << 40)).contains(enclosure.length ?? 0)) }
            for link in ([item.link, item.image] + item.enclosures.map(\.url)).compactMap({ $0 }) {
                #expect(["http", "https"].contains(link.scheme?.lowercased()))
            }
            for date in [item.published, item.updated].compactMap({ $0 }) { checkBounds(date) }
        }
    }

    private static func checkBounds(_ date: Date) {
        // Years 1 to 9999, zones within ±18 h.
        #expect((-62_135_769_600.0...253_402_400_000.0).contains(date.timeIntervalSince1970))
    }

    private static func parse(_ input: [UInt8]) {
        do {
            checkBounds(try FeedParser.parse(input, url: URL(string: "https://fuzz.example/feed")))
        } catch let FeedError.xml(_, line, column) {
            #expect(line >= 1 && line <= input.count + 1 && column >= 1 && column <= input.count + 1)
        } catch {}
    }

    @Test func theXMLFeedReaderTakesAnyBytes() async throws {
        let seeds = try FeedFixtures.xml.map(FeedFixtures.bytes)
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.xmlTokens, longest: 1 << 14, Self.parse)
        #expect(report.inputs == seeds.count + FuzzLoop.iterations(default: 20_000))
        #expect(report.slowest < FuzzLoop.hang, "slowest input: \(report.slowestInput.prefix(64))")
    }

    @Test func theJSONFeedReaderTakesAnyBytes() async throws {
        let seeds = try FeedFixtures.json.map(FeedFixtures.bytes)
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.jsonTokens, longest: 1 << 14, Self.parse)
        #expect(report.slowest < FuzzLoop.hang, "slowest input: \(report.slowestInput.prefix(64))")
    }

    @Test func theDateReaderTakesAnyText() async {
        let seeds = [
            "Tue, 01 Dec 2026 08:30:00 +0000", "Tue, 01 Dec 26 03:30 EST", "01 Dec 2026 08:30:00 A", "2026-12-01T08:30:00.250+01:00",
            "2026-12-01 08:30:00", "20261201T083000Z", "2026-12", "Tuesday, 01-Dec-26 08:30:00 GMT (UTC)",
        ].map { Array($0.utf8) }
        let report = await FuzzLoop.run(
            seeds: seeds, iterations: FuzzLoop.iterations(default: 10_000),
            tokens: ["+", "-", ":", ".", "T", "Z", "GMT", "99", "9999", "0000", "Feb", "29", "24:00", "60", "+18:00", "-99"], longest: 256
        ) { input in
            if let date = FeedDate.parse(String(decoding: input, as: UTF8.self)) { Self.checkBounds(date) }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
