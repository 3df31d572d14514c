@testable import App
import Foundation
import Networks
import SQLKit
import Synchronization
import Testing
import TextRules
import Vapor
import VaporTesting

/// A network that publishes in two steps (Instagram's and Threads' container, then publish)
/// keeps what the first step made; a retry, or another worker after a crash, resumes from it
/// instead of making it again.
@Suite struct CheckpointTests {
    /// Threads as a test writes it: a container, kept, then published; the first publish of
    /// each container times out when told to.
    final class TwoStepConnector: NetworkConnector {
        let containers = Mutex<[String]>([])
        let published = Mutex<[String]>([])
        let resumedFrom = Mutex<[String]>([])
        let timeOutOnce = Mutex(true)
        var network: Network { .threads }
        var connecting: Connecting {
            Connecting(title: "Connect a Threads account", summary: "Paste the token.",
                       fields: [ConnectionField(name: "token", label: "Token", isSecret: true)], serverField: "token", secretField: "token")
        }
        func prepare(_ typed: [String: String]) throws -> (server: URL, credentials: NetworkCredentials) {
            (URL(string: "https://graph.threads.example")!, NetworkCredentials(accessToken: typed["token"]))
        }
        func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
            NetworkAccount(remoteID: "178", handle: "@cornerbakery", displayName: "Corner Bakery", credentials: credentials)
        }
        func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? { nil }
        func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia { UploadedMedia(id: media.filename) }
        func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
            -> (part: PublishedPart, credentials: NetworkCredentials?)
        {
            let container: String
            if let kept = part.checkpoint {
                resumedFrom.withLock { $0.append(kept) }
                container = kept
            } else {
                container = containers.withLock { $0.append("container-\($0.count + 1)"); return $0.last! }
                try await part.keep(container)
            }
            if timeOutOnce.withLock({ let first = $0; $0 = false; return first }) { throw NetworkError.timedOut(host: "graph.threads.example") }
            published.withLock { $0.append(container) }
            return (PublishedPart(remoteID: "post-of-\(container)", url: nil), nil)
        }
        func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {}
        var inbox: (any InboxReader)? { nil }
        var metrics: (any MetricsReader)? { nil }
    }

    @Test(arguments: TestDatabase.all)
    func aRetryResumesFromTheContainerTheFirstAttemptKept(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let clock = ManualClock(Date())
            app.wiring.clock = clock
            let threads = TwoStepConnector()
            app.wiring.connectors = app.wiring.connectors.adding(threads)
            let ana = try await app.makeMember("ana@example.com")
            let connected = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana, json: #"{"network": "threads", "token": "t"}"#)
            let channel = try #require(try connected.json()["id"] as? String)
            let post = try #require(try await app.createPost(ana, #"{"text": "Rye today", "thread": ["And spelt"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)

            try await app.publishDueDeliveries()
            #expect(try await app.deliveries(of: post, ana).first?["state"] as? String == "unknown", "a timeout: whether it went out is not known")
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT checkpoint FROM deliveries").first()?.decode(column: "checkpoint", as: String?.self)
            #expect(stored == "0 container-1", "kept before the step that timed out")

            clock.advance(by: 600)
            try await app.publishDueDeliveries()
            #expect(try await app.deliveries(of: post, ana).first?["state"] as? String == "published")
            #expect(threads.resumedFrom.withLock { $0 } == ["container-1"], "the first part resumed from its container")
            #expect(threads.containers.withLock { $0 } == ["container-1", "container-2"], "one container a part, none made twice")
            #expect(threads.published.withLock { $0 } == ["container-1", "container-2"])
            let cleared = try await (app.db as! any SQLDatabase).raw("SELECT checkpoint FROM deliveries").first()?.decode(column: "checkpoint", as: String?.self)
            #expect(cleared == nil, "nothing kept once the parts are out")
        }
    }
}
