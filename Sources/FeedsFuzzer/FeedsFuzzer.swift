// libFuzzer over the feed readers. `scripts/fuzz-feeds` compiles this file with the Feeds
// sources as one module, `-sanitize=fuzzer,address -D FUZZING`, libFuzzer giving the `main`
// (SwiftPM would give its own). Built plainly (as `swift build` does), it reads each file named
// on the command line once, to replay an input libFuzzer saved.
import Foundation
#if canImport(Feeds)
import Feeds
#endif

/// One input through the feed reader (as sent, and as Latin-1 and UTF-16 would be declared by
/// a server), and its first line through the date reader; every answer within its bounds.
func inspect(_ data: Data) {
    let base = URL(string: "https://blog.example/feed/")
    for contentType in [nil, "application/rss+xml; charset=iso-8859-1", "application/atom+xml; charset=utf-16"] {
        guard let feed = try? FeedParser.parse(data, url: base, contentType: contentType) else { continue }
        precondition(feed.items.count <= FeedParser.mostItems)
        for item in feed.items {
            precondition(!item.id.isEmpty)
            for link in [item.link, item.image].compactMap({ $0 }) {
                precondition(["http", "https"].contains(link.scheme?.lowercased() ?? ""))
            }
        }
    }
    if let line = String(data: data.prefix(200), encoding: .utf8)?.split(separator: "\n").first, let date = FeedDate.parse(String(line)) {
        precondition(date.timeIntervalSince1970.isFinite)
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    inspect(start.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
#else
@main
enum FeedsFuzzer {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(2)
            }
            inspect(data)
            print("\(path): read without a crash")
        }
    }
}
#endif
