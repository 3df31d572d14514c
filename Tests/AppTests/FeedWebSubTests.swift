@testable import App
import Foundation
import Synchronization
import Testing
import Vapor
import VaporTesting

/// WebSub beside polling: a feed that names a hub is subscribed there with a callback and a
/// secret; the hub's verification is answered only for what Trestle asked; signed pushes
/// become posts at once (each item once), badly signed ones change nothing; the lease is renewed
/// before it ends; polling goes on.
@Suite struct FeedWebSubTests {
    /// A hub on loopback that records each subscription request's form.
    final class FakeHub: Sendable {
        private final class Forms: Sendable {
            let list = Mutex<[[String: String]]>([])
        }

        let server: FakeNetworkServer
        private let forms: Forms

        var url: String { server.baseURL + "/hub" }
        var requests: [[String: String]] { forms.list.withLock { $0 } }

        private init(server: FakeNetworkServer, forms: Forms) {
            self.server = server
            self.forms = forms
        }

        static func with(_ body: (FakeHub) async throws -> Void) async throws {
            let forms = Forms()
            let server = try await FakeNetworkServer { routes in
                routes.post("hub") { req -> HTTPStatus in
                    var components = URLComponents()
                    components.percentEncodedQuery = req.body.string ?? ""
                    let form = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
                    forms.list.withLock { $0.append(form) }
                    return .accepted
                }
            }
            let hub = FakeHub(server: server, forms: forms)
            do { try await body(hub) } catch { try? await server.stop(); throw error }
            try await server.stop()
        }
    }

    private static func sign(_ body: String, secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    @Test(arguments: TestDatabase.all)
    func aHubPushesNewItemsAtOnceAndPollingStaysTheFallback(_ database: TestDatabase) async throws {
        try await FakeHub.with { hub in
            try await FakeFeedServer.with { blog in
                blog.announce(hub: hub.url)
                blog.publish([FeedBridgeTests.entry(1)])
                try await withTrestle(database, publicURL: URL(string: "https://trestle.example"), fetchAllow: ["127.0.0.1"]) { app in
                    let clock = ManualClock(FeedBridgeTests.start.addingTimeInterval(86_400))
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    let channel = try await app.addSite(ana)
                    let id = try #require(try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"]}"#).json()["id"] as? String).lowercased()

                    // setup: the hub was asked, with a callback of Trestle's public address and a secret
                    let asked = try #require(hub.requests.first)
                    #expect(hub.requests.count == 1)
                    #expect(asked["hub.mode"] == "subscribe")
                    #expect(asked["hub.topic"] == blog.url)
                    #expect(asked["hub.callback"] == "https://trestle.example/websub/\(id)")
                    #expect(asked["hub.lease_seconds"] == "864000")
                    let secret = try #require(asked["hub.secret"])
                    #expect(secret.count >= 32)

                    // verification: only what was asked for is confirmed
                    let topic = blog.url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    let wrong = try await app.api(.GET, "/websub/\(id)?hub.mode=subscribe&hub.topic=https%3A%2F%2Fevil.example%2F&hub.challenge=abc&hub.lease_seconds=86400")
                    #expect(wrong.status == .notFound)
                    let verified = try await app.api(.GET, "/websub/\(id)?hub.mode=subscribe&hub.topic=\(topic)&hub.challenge=abc123&hub.lease_seconds=864000")
                    #expect(verified.status == .ok)
                    #expect(verified.text == "abc123")

                    // a signed push posts the new item at once, and once
                    let push = FakeFeedServer.rss([FeedBridgeTests.entry(2), FeedBridgeTests.entry(1)])
                    for _ in 0..<2 {
                        let pushed = try await app.api(.POST, "/websub/\(id)", json: push, contentType: "application/rss+xml",
                                                       headers: ["X-Hub-Signature": Self.sign(push, secret: secret)])
                        #expect(pushed.status == .noContent, "\(pushed.text)")
                    }
                    #expect(try await app.postTexts(ana).compactMap { $0["text"] as? String } == ["Bake 2 https://bakery.example/blog/2?utm_source=site&utm_medium=social&utm_campaign=feed"])

                    // a push signed with another secret changes nothing
                    let forged = FakeFeedServer.rss([FeedBridgeTests.entry(3)])
                    let refused = try await app.api(.POST, "/websub/\(id)", json: forged, contentType: "application/rss+xml",
                                                    headers: ["X-Hub-Signature": Self.sign(forged, secret: "not the secret")])
                    #expect(refused.status == .forbidden)
                    let unsigned = try await app.api(.POST, "/websub/\(id)", json: forged, contentType: "application/rss+xml")
                    #expect(unsigned.status == .forbidden)
                    #expect(try await app.postTexts(ana).count == 1)

                    // polling goes on, and does not ask the hub again while the lease runs
                    blog.publish([FeedBridgeTests.entry(3), FeedBridgeTests.entry(2), FeedBridgeTests.entry(1)])
                    clock.advance(by: 15 * 60)
                    #expect(try await app.pollDueFeeds() == 1)
                    #expect(try await app.postTexts(ana).count == 2)
                    #expect(hub.requests.count == 1)

                    // within a day of the lease's end, a poll renews it with the same secret
                    clock.advance(by: 9.5 * 86_400)
                    try await app.pollDueFeeds()
                    #expect(hub.requests.count == 2)
                    #expect(hub.requests.last?["hub.secret"] == secret)
                    #expect(hub.requests.last?["hub.callback"] == asked["hub.callback"])
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func withoutAPublicAddressNoHubIsAskedAndUnknownCallbacksAre404(_ database: TestDatabase) async throws {
        try await FakeHub.with { hub in
            try await FakeFeedServer.with { blog in
                blog.announce(hub: hub.url)
                blog.publish([FeedBridgeTests.entry(1)])
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let channel = try await app.addSite(ana)
                    let id = try #require(try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"]}"#).json()["id"] as? String)
                    #expect(hub.requests.isEmpty, "a hub cannot call back an installation without TRESTLE_PUBLIC_URL")
                    let push = FakeFeedServer.rss([FeedBridgeTests.entry(2)])
                    #expect(try await app.api(.POST, "/websub/\(id)", json: push, contentType: "application/rss+xml",
                                              headers: ["X-Hub-Signature": Self.sign(push, secret: "")]).status == .notFound)
                    #expect(try await app.api(.GET, "/websub/\(UUID())?hub.mode=subscribe&hub.topic=x&hub.challenge=abc&hub.lease_seconds=60").status == .notFound)
                    #expect(try await app.postTexts(ana).isEmpty)
                }
            }
        }
    }
    @Test(arguments: TestDatabase.all)
    func unfollowingAFeedTellsItsHubToStopPushing(_ database: TestDatabase) async throws {
        try await FakeHub.with { hub in
            try await FakeFeedServer.with { blog in
                blog.announce(hub: hub.url)
                blog.publish([FeedBridgeTests.entry(1)])
                try await withTrestle(database, publicURL: URL(string: "https://trestle.example"), fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let channel = try await app.addSite(ana)
                    let id = try #require(try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"]}"#).json()["id"] as? String).lowercased()
                    #expect(hub.requests.map { $0["hub.mode"] } == ["subscribe"])

                    // MUT: unfollowing answers at once; the hub is told by a job
                    let deleted = try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/feeds/\(id)", as: ana)
                    #expect(deleted.status == .noContent)
                    #expect(hub.requests.count == 1)
                    let ran = try await app.runDueJobs(FeedBridgeService.unsubscribeJob) { try await app.wiring.feedBridge(on: app.db).endWebSub(job: $0) }
                    #expect(ran == 1)

                    // validate: the hub was asked to stop for the same topic and callback, and its
                    // verification of that is confirmed
                    let stop = try #require(hub.requests.last)
                    #expect(stop["hub.mode"] == "unsubscribe")
                    #expect(stop["hub.topic"] == blog.url)
                    #expect(stop["hub.callback"] == "https://trestle.example/websub/\(id)")
                    let topic = blog.url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    let confirmed = try await app.api(.GET, "/websub/\(id)?hub.mode=unsubscribe&hub.topic=\(topic)&hub.challenge=bye42")
                    #expect(confirmed.status == .ok)
                    #expect(confirmed.text == "bye42")
                }
            }
        }
    }
}
