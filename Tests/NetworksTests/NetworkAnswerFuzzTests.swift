import Foundation
import Fuzzing
import NIOHTTP1
@testable import Networks
import Testing

/// The readers of what a named server answers — rate-limit headers, instance, account and
/// session JSON, error bodies, and the addresses people type — under a seeded mutation fuzzer
/// over real-shaped fixtures: no crash, nothing slow, no number out of range.
@Suite struct NetworkAnswerFuzzTests {
    private static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")))
    }

    private static let jsonTokens = [
        "9223372036854775807", "-9223372036854775808", "1e300", "-1e300", "NaN", "0.5", "null", "true", "\"\"", "[]", "{}",
        "\"max_characters\"", "\"characters_reserved_per_url\"", "\"max_toot_chars\"", "\"configuration\"", "\"statuses\"",
        "\"domain\"", "\"uri\"", "\"did\"", "\"handle\"", "\"display_name\"", "\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[",
    ]

    @Test func rateLimitHeadersAreReadWithinAWeekOrNotAtAll() async {
        let seeds = [
            "120", "0", "Wed, 21 Oct 2026 07:28:00 GMT", "1800000030", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00.250Z", "2.5", "-1",
        ].map { Array($0.utf8) }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let names = ["Retry-After", "X-RateLimit-Reset", "RateLimit-Reset", "x-rate-limit-reset"]
        var which = 0
        let report = await FuzzLoop.run(seeds: seeds, iterations: FuzzLoop.iterations(default: 10_000), tokens: ["e", "E", "+", "-", ".", "inf", "nan", "9999", "GMT", "T", "Z", ":"], longest: 256) { input in
            which += 1
            let value = String(decoding: input, as: UTF8.self)
            let response = NetworkHTTPClient.Response(status: 429, headers: HTTPHeaders([(names[which % names.count], value)]), body: Data())
            if let seconds = RetryAfter.seconds(response, now: now) {
                #expect((0...RetryAfter.longest).contains(seconds), "\(value.debugDescription) → \(seconds)")
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }

    @Test func instanceAnswersAreReadWithinTheirBounds() async throws {
        let seeds = try ["mastodon-instance-v2.json", "mastodon-instance-v1.json", "pleroma-instance-v1.json"].map(Self.fixture)
        #expect(try JSONDecoder().decode(MastodonInstance.self, from: Data(seeds[0])).maxCharacters == 500)
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.jsonTokens) { input in
            guard let instance = try? JSONDecoder().decode(MastodonInstance.self, from: Data(input)) else { return }
            #expect((1...MastodonInstance.longestPostLimit).contains(instance.maxCharacters))
            #expect((0...MastodonInstance.mostCharactersPerURL).contains(instance.charactersReservedPerURL))
            #expect((instance.domain?.utf8.count ?? 0) <= 253)
        }
        #expect(report.slowest < FuzzLoop.hang)
    }

    @Test func accountAndSessionAnswersAreReadWithinTheirBounds() async throws {
        let seeds = try ["mastodon-account.json", "bluesky-session.json", "bluesky-profile.json"].map(Self.fixture)
        #expect(try JSONDecoder().decode(MastodonAccount.self, from: Data(seeds[0])).username == "bakery")
        #expect(try JSONDecoder().decode(BlueskySession.self, from: Data(seeds[1])).handle == "bakery.bsky.social")
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.jsonTokens) { input in
            let data = Data(input)
            if let account = try? JSONDecoder().decode(MastodonAccount.self, from: data) {
                #expect(account.displayName.count <= MastodonAccount.longestDisplayName && account.id.utf8.count <= MastodonAccount.longestID)
            }
            if let session = try? JSONDecoder().decode(BlueskySession.self, from: data) {
                #expect(BlueskyBounds.fits(did: session.did, handle: session.handle))
            }
            if let profile = try? JSONDecoder().decode(BlueskyProfile.self, from: data) {
                #expect((profile.displayName?.count ?? 0) <= 64)
            }
            _ = try? JSONDecoder().decode(XRPCError.self, from: data)
            _ = try? JSONDecoder().decode(MastodonErrorBody.self, from: data)
        }
        #expect(report.slowest < FuzzLoop.hang)
    }

    @Test func statusesAndTheirHTMLAreReadWithoutACrash() async throws {
        let seed = try Self.fixture("mastodon-status.json")
        let status = try JSONDecoder().decode(MastodonStatus.self, from: Data(seed))
        #expect(StatusText.comparable(StatusText.plain(fromHTML: status.content))
                == StatusText.comparable("Fresh loaves & <croissants> at 8!\nhttps://bakery.example/today @miller #sourdough\n\nSee you"))
        let report = await FuzzLoop.run(seeds: [seed], tokens: Self.jsonTokens + ["<p>", "</p>", "<br />", "<", ">", "&amp;", "&#39;", "&", "\"content\""]) { input in
            if let status = try? JSONDecoder().decode(MastodonStatus.self, from: Data(input)) {
                _ = StatusText.comparable(StatusText.plain(fromHTML: status.content))
            }
            _ = StatusText.plain(fromHTML: String(decoding: input, as: UTF8.self))
        }
        #expect(report.slowest < FuzzLoop.hang)
    }

    @Test func pagesReadForLinkCardsGiveBoundedCards() async {
        let seed = Array(#"<!doctype html><html><head><title>Rye</title><meta property="og:title" content="Rye &amp; spelt"><meta name="description" content='A loaf'><meta property="og:image" content="/rye.png"></head><body><p>Bread</p></body></html>"#.utf8)
        let page = URL(string: "https://bakery.example/news/rye")!
        let report = await FuzzLoop.run(seeds: [seed], tokens: ["<meta", "<title>", "</title>", "property=", "content=", "\"", "'", "&", "&#", ";", ">", "og:image", "og:title"]) { input in
            guard let card = LinkPreview.read(html: Data(input), pageURL: page) else { return }
            #expect(!card.title.isEmpty && card.title.count <= 300 && card.description.count <= 1_000)
            #expect(card.imageURL.map { ["http", "https"].contains($0.scheme ?? "") } ?? true)
        }
        #expect(report.slowest < FuzzLoop.hang)
    }

    @Test func deeplyNestedJSONIsRefusedNotAStackOverflow() async {
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(MastodonInstance.self, from: deep) }
        let deepObject = Data((#"{"configuration":"# + String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_001)).utf8)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(MastodonInstance.self, from: deepObject) }
    }

    @Test func typedServerAddressesAndAllowEntriesAreReadWithoutACrash() async {
        let seeds = ["mastodon.social", "https://mastodon.social/@shop", "http://[::1]:8080/", "pds.example.com:443", "10.0.0.0/8", "::ffff:127.0.0.1", "012.0.0.1"]
            .map { Array($0.utf8) }
        let report = await FuzzLoop.run(seeds: seeds, iterations: FuzzLoop.iterations(default: 10_000), tokens: ["://", "@", "[", "]", ":", "/", "%", "0x", "::", "."], longest: 512) { input in
            let text = String(decoding: input, as: UTF8.self)
            if let url = try? ServerAddress.baseURL(from: text, example: "x", what: "instance") {
                #expect(url.scheme == "https" || url.scheme == "http")
            }
            if let address = IPAddress(text) {
                #expect(IPAddress(address.description) == address, "\(text.debugDescription) prints as \(address.description)")
                _ = address.isPublic
            }
            _ = IPAddress.looksLikeIPv4(text)
            _ = try? OutboundAddressPolicy(allowing: [text])
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
