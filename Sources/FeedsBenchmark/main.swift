import Feeds
import Foundation

// Feed parsing throughput, for benchmarks/feeds.sh: each file parsed over and over for about a
// second; one line per file: name, MB/s, items/s, items found. The ids found go to `ids-out`,
// one "file<TAB>id" a line, for comparing with feedparser.
//   usage: FeedsBenchmark ids-out file...

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: FeedsBenchmark ids-out file...\n".utf8))
    exit(2)
}
var ids = ""
let clock = ContinuousClock()
for path in arguments.dropFirst(2) {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let name = URL(fileURLWithPath: path).lastPathComponent
    var feed = try FeedParser.parse(bytes)
    var rounds = 0
    let started = clock.now
    while rounds < 3 || clock.now - started < .seconds(1) {
        feed = try FeedParser.parse(bytes)
        rounds += 1
    }
    let seconds = (clock.now - started) / .seconds(1)
    let megabytes = Double(bytes.count) / 1_000_000
    print(name, String(format: "%.1f", megabytes * Double(rounds) / seconds), String(format: "%.0f", Double(feed.items.count * rounds) / seconds), feed.items.count)
    for item in feed.items { ids += "\(name)\t\(item.id)\n" }
}
try ids.write(toFile: arguments[1], atomically: true, encoding: .utf8)
