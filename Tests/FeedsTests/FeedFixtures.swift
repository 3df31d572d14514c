import Feeds
import Foundation

/// The feeds in `Fixtures/` (see its README): written for these tests in the shapes real
/// publishers' feeds take.
enum FeedFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func feed(_ name: String, url: String? = nil) throws -> Feed {
        try FeedParser.parse(bytes(name), url: url.flatMap(URL.init(string:)))
    }

    static let xml = [
        "wordpress-rss2.xml", "podcast-rss2.xml", "rss092.xml", "netscape-rss091.xml", "rss090.xml", "rdf-rss10.xml",
        "blogger-atom.xml", "youtube-atom.xml", "shopify-atom.xml", "atom03.xml", "xml-base-atom.xml",
    ]
    static let json = ["jsonfeed-1.0.json", "jsonfeed-1.1.json"]
}

/// A UTC instant, for expected dates.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
}
