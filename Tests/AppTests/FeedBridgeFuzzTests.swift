@testable import App
import Feeds
import Foundation
import Fuzzing
import Testing
import TextRules

/// What the bridge does with bytes from outside — a pushed or polled feed turned into each
/// network's text, its links tagged and keyed, a hub's signature header read — under a seeded
/// mutation fuzzer: never a crash or a hang, and a text said to fit does fit, link whole.
@Suite struct FeedBridgeFuzzTests {
    static let networks: [Network] = [.x, .bluesky, .mastodon, .threads]

    @Test func feedsFromOutsideBecomeTextsThatFitOrSayTheyDoNot() async {
        let long = String(repeating: "Sourdough, rye & spelt — baked slowly 🥖 ", count: 12)
        let seeds = [
            FakeFeedServer.rss([
                .init(id: "a", title: long, link: "https://bakery.example/blog/a?ref=rss&utm_source=x#top", date: Date(timeIntervalSince1970: 1_790_000_000), summary: "<p>\(long)</p>"),
                .init(id: "b", title: "Short", link: "http://www.bakery.example/b/", date: Date(timeIntervalSince1970: 1_790_100_000)),
            ], hub: "https://hub.example/", selfURL: "https://bakery.example/feed.xml"),
            #"{"version": "https://jsonfeed.org/version/1.1", "title": "B", "hubs": [{"url": "https://hub.example/"}], "items": [{"id": "1", "url": "https://b.example/1", "title": "\#(long)", "content_text": "\#(long)"}]}"#,
        ].map { Array($0.utf8) }
        let templates = ["{title} {link}", "{feed}: {title}\n\n{summary}\n{link}", "New on the blog: {title} {link} #bread"]
        let report = await FuzzLoop.run(seeds: seeds, iterations: FuzzLoop.iterations(default: 3_000), tokens: ["<title>", "</title>", "<link>", "&amp;", "{link}", "?", "&", "#", "utm_source=", "🥖", "\u{200D}"], longest: 1 << 14) { input in
            _ = FeedBridgeService.signatureMatches(String(decoding: input.prefix(200), as: UTF8.self), body: Data(input), secret: "s")
            guard let feed = try? FeedReader.parse(Data(input), url: URL(string: "https://bakery.example/feed.xml")!, contentType: nil) else { return }
            for item in feed.items.prefix(3) {
                _ = FeedPostText.linkKey(item.link)
                for (index, network) in Self.networks.enumerated() {
                    let rules = TextRulesCatalog.standard.rules(for: network)
                    let writer = FeedPostText(template: templates[index % templates.count], network: network, rules: rules)
                    let (text, fits) = writer.text(for: item, feedTitle: feed.title)
                    if fits {
                        #expect(rules.check(text).valid, "\(network): \(text)")
                        if let link = item.link { #expect(text.contains(FeedPostText.tagged(link, source: network.rawValue).absoluteString)) }
                    }
                }
            }
        }
        #expect(report.inputs > 0)
        #expect(report.slowest < FuzzLoop.hang)
    }
}
