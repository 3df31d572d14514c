@testable import App
import Foundation
import Fuzzing
@testable import Networks
import Testing
import TextRules

/// What the Bluesky inbox makes of a service's answers — notifications decoded, turned into
/// messages with their facets as links, threads flattened — under a seeded mutation fuzzer over
/// answers shaped like the service's own: never a crash or a hang, every message's HTML only
/// the markup `SafeHTML` allows, every length bounded.
@Suite struct BlueskyInboxFuzzTests {
    /// A notification page and a thread as the fake service answers them, with every reason,
    /// facets of each kind, a reply, a quote and text outside ASCII.
    private static func seeds() async throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        try await FakeBluesky.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let client = BlueskyClient(serviceURL: URL(string: fake.url)!, http: app.networkHTTP)
                let session = try await client.createSession(identifier: FakeBluesky.bakery.handle, password: FakeBluesky.bakery.appPassword)
                let ours = BlueskyRecordRef(uri: "at://\(FakeBluesky.bakery.did)/app.bsky.feed.post/3lbakeryrye22", cid: "bafyreibakeryrye")
                let reply = try fake.reply(from: FakeBluesky.miller, to: ours, text: "@bakery.bsky.social Spelt & rye <3 millhouse.com/flour?x=1 #baking 🇫🇷 crème")
                try fake.reply(from: BlueskyInboxTests.flour, to: reply, text: "Line one\n\nLine two\nthree @miller.bsky.social")
                try fake.mention(from: BlueskyInboxTests.flour, text: "Ask @bakery.bsky.social about #sourdough — https://example.com/a?b=c&d=e")
                try fake.quote(ours, from: FakeBluesky.miller, text: "👀 Tuesday!")
                try fake.like(ours, from: FakeBluesky.miller)
                try fake.repost(ours, from: BlueskyInboxTests.flour)
                try fake.follow(from: BlueskyInboxTests.flour)
                let token = ["Authorization": "Bearer \(session.accessJwt)"]
                let page = try await app.networkHTTP.send(.GET, URL(string: "\(fake.url)/xrpc/app.bsky.notification.listNotifications?limit=100")!, headers: .init(token.map { ($0.key, $0.value) }))
                seeds.append(Array(page.body))
                let encoded = reply.uri.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let thread = try await app.networkHTTP.send(.GET, URL(string: "\(fake.url)/xrpc/app.bsky.feed.getPostThread?uri=\(encoded)")!, headers: .init(token.map { ($0.key, $0.value) }))
                seeds.append(Array(thread.body))
            }
        }
        return seeds
    }

    /// Whether `html` is made of `p`, `br`, `a` with an http(s) address, and escaped text only.
    /// Read byte by byte: a `<` or `"` with a combining mark after it is one character to
    /// Swift and still a `<` or `"` to a browser.
    static func isSafe(_ html: String) -> Bool {
        let bytes = Array(html.utf8)
        let plainTags = ["<p>", "</p>", "<br>", "</a>"].map { Array($0.utf8) }
        let linkOpen = Array(#"<a href=""#.utf8), linkClose = Array(#"" rel="nofollow noopener noreferrer" target="_blank">"#.utf8)
        func starts(_ tag: [UInt8], at index: Int) -> Bool {
            index + tag.count <= bytes.count && Array(bytes[index..<index + tag.count]) == tag
        }
        var index = 0
        while index < bytes.count {
            if let tag = plainTags.first(where: { starts($0, at: index) }) {
                index += tag.count
            } else if starts(linkOpen, at: index) {
                var end = index + linkOpen.count
                while end < bytes.count, !starts(linkClose, at: end) {
                    guard bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "<") else { return false }
                    end += 1
                }
                let href = String(decoding: bytes[(index + linkOpen.count)..<end], as: UTF8.self)
                // A scheme is the same in any case (RFC 3986 §3.1): `hTtps://` is a web address.
                let scheme = href.prefix(8).lowercased()
                guard end < bytes.count, scheme.hasPrefix("https://") || scheme.hasPrefix("http://") else { return false }
                index = end + linkClose.count
            } else if [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\"")].contains(bytes[index]) {
                return false
            } else {
                index += 1
            }
        }
        return true
    }

    @Test func notificationsAndThreadsFromAServiceNeverCrashAndGiveSafeHTML() async throws {
        let seeds = try await Self.seeds()
        let tokens = [
            #""byteStart": "#, #""byteEnd": "#, "-1", "99999999999999999999", "0", #""$type": "#, #""app.bsky.richtext.facet#link""#,
            #""app.bsky.richtext.facet#mention""#, #""app.bsky.richtext.facet#tag""#, #""javascript:alert(1)""#, #""\u00e9""#, #""\ud83c\uddeb""#,
            "é", "🇫🇷", "<script>", "\\n", #""reason": "reply""#, #""reason": "like""#, #""replies": ["#, #""parent": "#, "null", "[]", "{}",
        ]
        let report = await FuzzLoop.run(seeds: seeds, iterations: FuzzLoop.iterations(default: 4_000), tokens: tokens, longest: 1 << 15) { input in
            let body = Data(input)
            if let page = try? BlueskyNotificationPage.decode(body) {
                let (messages, counts) = BlueskyInboxReader.inbox(of: page.notifications)
                #expect(messages.count + counts.reduce(0) { $0 + $1.count } <= page.notifications.count)
                for message in messages {
                    #expect(Self.isSafe(message.html), "\(message.html)")
                    #expect(message.text.utf8.count <= 10_000 && message.author.name.utf8.count <= 640)
                    #expect(message.author.avatarURL.map { $0.lowercased().hasPrefix("http") } ?? true)
                }
            }
            if let thread = try? BlueskyThreadNode.decode(body) {
                let conversation = BlueskyInboxReader.conversation(in: thread)
                #expect(conversation.count <= BlueskyInboxReader.mostInConversation)
                for message in conversation { #expect(Self.isSafe(message.html), "\(message.html)") }
            }
        }
        #expect(report.inputs > seeds.count)
        #expect(report.slowest < FuzzLoop.hang)
    }

    /// Facets made of random numbers over random text: the HTML is always safe, and the same as
    /// the plain text's whenever a facet does not fit.
    @Test func randomFacetsOverRandomTextGiveSafeHTML() async {
        let texts = ["Café <b>&</b> 🇫🇷\n\nok", "a\r\nb\n\n\nc", "👩‍👩‍👧 e\u{301} x", "", "plain"]
        let report = await FuzzLoop.run(seeds: texts.map { Array($0.utf8) }, iterations: FuzzLoop.iterations(default: 4_000), tokens: ["\n", "\r\n", "é", "<", "&"], longest: 512) { input in
            let text = String(decoding: input, as: UTF8.self)
            var generator = SeededRandom(seed: UInt64(input.count) &* 0x9E37_79B9 ^ UInt64(input.first ?? 0))
            let bytes = text.utf8.count
            let facets = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                let start = Int.random(in: -2...(bytes + 2), using: &generator)
                return BlueskyFacet(index: .init(byteStart: start, byteEnd: start + Int.random(in: -1...6, using: &generator)),
                                    features: [[.link(uri: "https://example.com/x"), .tag("x y"), .mention(handle: "did:plc:abc", did: "did:plc:abc"), .link(uri: "data:x")].randomElement(using: &generator)!])
            }
            let html = BlueskyRichText.html(text, facets: facets)
            #expect(Self.isSafe(html), "\(html)")
            if BlueskyRichText.runs(of: text, facets: facets) == nil { #expect(html == SafeHTML.paragraphs(text)) }
            // Runs without links read exactly as the plain text does (but for a lone "\r", which
            // `SafeHTML.paragraphs` can join with a "\n" after its own "\r\n" replacement).
            if !text.unicodeScalars.contains("\r") { #expect(BlueskyRichText.paragraphs([.init(text: text, href: nil)]) == SafeHTML.paragraphs(text)) }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
