import Feeds
import Foundation
import Testing

/// Feeds in each encoding they arrive in, named by BOM, HTTP header or XML prolog.
@Suite struct FeedEncodingTests {
    private static func rss(title: String, encoding: String? = nil) -> String {
        let declaration = encoding.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? "<?xml version=\"1.0\"?>\n"
        return declaration + "<rss version=\"2.0\"><channel><title>\(title)</title><item><title>\(title)</title><guid>1</guid></item></channel></rss>"
    }

    @Test func windows1252ReadsCurlyQuotesDashesAndTheEuro() throws {
        // “Stollen” – €24, as 1252 bytes.
        var bytes = Array(Self.rss(title: "#", encoding: "windows-1252").utf8)
        let mark = bytes.firstIndex(of: UInt8(ascii: "#"))!
        bytes.replaceSubrange(mark...mark, with: [0x93] + Array("Stollen".utf8) + [0x94, 0x20, 0x96, 0x20, 0x80] + Array("24".utf8))
        let feed = try FeedParser.parse(bytes)
        #expect(feed.title == "\u{201C}Stollen\u{201D} \u{2013} \u{20AC}24")
    }

    @Test func latin1ReadsAccentsAndTreats0x80To0x9FAs1252LikeBrowsers() throws {
        let bytes = Array(Self.rss(title: "Cr\u{E8}me br\u{FB}l\u{E9}e", encoding: "ISO-8859-1").unicodeScalars.map { UInt8($0.value) })
        #expect(try FeedParser.parse(bytes).title == "Crème brûlée")
        var quoted = Array(Self.rss(title: "#", encoding: "iso-8859-1").utf8)
        let mark = quoted.firstIndex(of: UInt8(ascii: "#"))!
        quoted.replaceSubrange(mark...mark, with: [0x91, 0x61, 0x92])
        #expect(try FeedParser.parse(quoted).title == "\u{2018}a\u{2019}")
    }

    @Test func theHTTPCharsetOverridesTheProlog() throws {
        let bytes = Array(Self.rss(title: "Caf\u{E9}", encoding: "UTF-8").unicodeScalars.map { UInt8($0.value) })
        #expect(try FeedParser.parse(bytes, contentType: "application/rss+xml; charset=\"ISO-8859-1\"").title == "Café")
        // Read as the prolog says, the lone é byte is no UTF-8: it is replaced, not refused.
        #expect(try FeedParser.parse(bytes).title == "Caf\u{FFFD}")
    }

    @Test func utf16WithAndWithoutAByteOrderMarkReads() throws {
        let text = Self.rss(title: "Brot & Zeit \u{1F35E}", encoding: "UTF-16")
        let littleEndian = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try FeedParser.parse([0xFF, 0xFE] + littleEndian).title == "Brot & Zeit \u{1F35E}")
        #expect(try FeedParser.parse([0xFE, 0xFF] + bigEndian).title == "Brot & Zeit \u{1F35E}")
        #expect(try FeedParser.parse(littleEndian).title == "Brot & Zeit \u{1F35E}")
        #expect(try FeedParser.parse(bigEndian).title == "Brot & Zeit \u{1F35E}")
    }

    @Test func aUTF8ByteOrderMarkIsSkipped() throws {
        #expect(try FeedParser.parse([0xEF, 0xBB, 0xBF] + Array(Self.rss(title: "Zoë").utf8)).title == "Zoë")
        let json = Array(#"{"version": "https://jsonfeed.org/version/1.1", "title": "Zoë", "items": []}"#.utf8)
        #expect(try FeedParser.parse([0xEF, 0xBB, 0xBF] + json).title == "Zoë")
    }

    @Test func anEncodingWeDoNotKnowIsNamedInTheError() {
        #expect(throws: FeedError.unsupportedEncoding("KOI8-R")) {
            try FeedParser.parse(Array(Self.rss(title: "x", encoding: "KOI8-R").utf8))
        }
        #expect(throws: FeedError.unsupportedEncoding("shift_jis")) {
            try FeedParser.parse(Array(Self.rss(title: "x").utf8), contentType: "text/xml; charset=shift_jis")
        }
    }
}
