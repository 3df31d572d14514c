@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct HealthTests {
    @Test(arguments: TestDatabase.all)
    func healthIsDegradedUntilAWorkerBeatsAndOkAfter(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let before = try await app.api(.GET, "/healthz")
            #expect(before.status == .ok)
            let body = try before.json()
            #expect(body["status"] as? String == "degraded")
            #expect(body["database"] as? String == "ok")
            #expect((body["worker"] as? [String: Any])?["lastHeartbeat"] is NSNull)

            let worker = Worker(application: app)
            await worker.start()
            var beat: [String: Any] = [:]
            for _ in 0..<100 {
                beat = try await app.api(.GET, "/healthz").json()
                if beat["status"] as? String == "ok" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            await worker.stop()
            #expect(beat["status"] as? String == "ok")
            #expect((beat["worker"] as? [String: Any])?["lastHeartbeat"] is String)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWorkerSilentForAMinuteShowsAsDegraded(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            try await WorkerHeartbeatService(db: app.db).beat(node: "old-node", at: Date().addingTimeInterval(-WorkerHeartbeatService.staleAfter - 5))
            let body = try await app.api(.GET, "/healthz").json()
            #expect(body["status"] as? String == "degraded")
            #expect((body["worker"] as? [String: Any])?["lastHeartbeat"] is String)
        }
    }
}
