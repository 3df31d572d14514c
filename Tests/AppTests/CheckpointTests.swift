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
    @Test(arguments: TestDatabase.all)
    func aRetryResumesFromTheContainerTheFirstAttemptKept(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let clock = ManualClock(Date())
            app.wiring.clock = clock
            // Threads as a test writes it: a container, kept, then published; the first publish
            // times out.
            let containers = Mutex<[String]>([]), published = Mutex<[String]>([]), resumedFrom = Mutex<[String]>([]), timeOutOnce = Mutex(true)
            app.wiring.connectors = app.wiring.connectors.adding(ScriptedConnector(.threads) { part in
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
                return PublishedPart(remoteID: "post-of-\(container)", url: nil)
            })
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
            #expect(resumedFrom.withLock { $0 } == ["container-1"], "the first part resumed from its container")
            #expect(containers.withLock { $0 } == ["container-1", "container-2"], "one container a part, none made twice")
            #expect(published.withLock { $0 } == ["container-1", "container-2"])
            let cleared = try await (app.db as! any SQLDatabase).raw("SELECT checkpoint FROM deliveries").first()?.decode(column: "checkpoint", as: String?.self)
            #expect(cleared == nil, "nothing kept once the parts are out")
        }
    }
}
