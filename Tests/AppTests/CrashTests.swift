@testable import App
import Crypto
import Fluent
import Foundation
import Networks
import Testing
import Vapor

/// Invariant 1 under a power cut: real `trestle worker` processes publish 200 deliveries to a
/// fake instance that is slow, fails with 500s (some after storing the post), asks to wait,
/// and answers one post after the worker gave up on it. The workers are killed with SIGKILL
/// mid-way and started again; afterwards the instance holds every post exactly once and
/// Trestle shows every one published — whether the instance honours `Idempotency-Key` or not.
@Suite(.serialized) struct CrashTests {
    static let posts = 200

    @Test(.timeLimit(.minutes(3)), arguments: [true, false])
    func aKilledWorkerLeavesEveryPostPublishedExactlyOnce(honoursIdempotencyKey: Bool) async throws {
        try await run(.sqlite, workers: 1, honoursIdempotencyKey: honoursIdempotencyKey)
    }

    @Test(.timeLimit(.minutes(3)), .enabled(if: TestDatabase.postgresURL != nil))
    func fourKilledWorkersOnPostgreSQLLeaveEveryPostPublishedExactlyOnce() async throws {
        try await run(.postgres, workers: 4, honoursIdempotencyKey: false)
    }

    private func run(_ database: TestDatabase, workers: Int, honoursIdempotencyKey: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trestle-crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = SymmetricKey(size: .bits256)
        var postgres: (url: String, name: String)?
        let choice: TrestleSettings.DatabaseChoice
        if database == .postgres {
            postgres = try await PostgresTestDatabases.shared.create()
            choice = .postgres(url: postgres!.url)
        } else {
            choice = .sqliteFile(path: directory + "/trestle.sqlite")
        }

        try await FakeMastodon.with(.init(honoursIdempotencyKey: honoursIdempotencyKey, latency: .milliseconds(20))) { fake in
            let settings = TrestleSettings(
                dataDirectory: directory, database: choice, publicURL: nil, secretKey: key, passwordCost: 4,
                outboundPolicy: try OutboundAddressPolicy(allowing: ["127.0.0.1"])
            )
            let app = try await Application.make(.testing)
            app.logger.logLevel = .warning
            do {
                try await configure(app, settings: settings)
                if database == .sqlite { try await app.autoMigrate() }
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, fake)
                for n in 1...Self.posts {
                    _ = try await app.wiring.posts(on: app.db).create(.init(text: "Post \(n) of the day", thread: [], channels: [channel], schedule: .now), in: ana.workspace, by: ana.user)
                }
                fake.controls.troubles.withLock {
                    $0 = ["Post 17 of the day": .serverError, "Post 23 of the day": .serverErrorAfterStoring,
                          "Post 42 of the day": .rateLimited(seconds: 1), "Post 64 of the day": .lateAnswer(.seconds(3))]
                }
                var environment = [
                    "TRESTLE_DATA_DIR": directory, "TRESTLE_SECRET_KEY": key.withUnsafeBytes { Data($0).base64EncodedString() },
                    "TRESTLE_FETCH_ALLOW": "127.0.0.1", "TRESTLE_NETWORK_TIMEOUT": "2", "TRESTLE_JOB_LEASE": "3", "LOG_LEVEL": "critical",
                ]
                if let postgres { environment["DATABASE_URL"] = postgres.url }

                var running = try (0..<workers).map { _ in try WorkerProcess(environment: environment) }
                try await waitUntil(seconds: 60) { fake.controls.statuses.withLock { $0.count } >= Self.posts / 3 }
                for worker in running { await worker.kill() }
                let atTheCut = fake.controls.statuses.withLock { $0.count }
                #expect(atTheCut < Self.posts, "killed mid-way")

                running = try (0..<workers).map { _ in try WorkerProcess(environment: environment) }
                do {
                    try await waitUntil(seconds: 100) {
                        try await Delivery.query(on: app.db).filter(\.$state == .published).count() == Self.posts
                    }
                } catch {
                    for worker in running { await worker.stop() }
                    throw error
                }
                // Every worker stops on SIGTERM, streams and all, as `systemctl stop` expects.
                for worker in running { await worker.stop() }

                let texts = fake.controls.statuses.withLock { $0.map(\.text) }
                #expect(texts.count == Self.posts, "\(texts.count) statuses for \(Self.posts) posts")
                #expect(Set(texts) == Set((1...Self.posts).map { "Post \($0) of the day" }), "every post, each once")
                let deliveries = try await Delivery.query(on: app.db).all()
                #expect(deliveries.allSatisfy { $0.state == .published && $0.remoteID != nil })
                let ids = fake.controls.statuses.withLock { Set($0.map(\.id)) }
                #expect(Set(deliveries.compactMap(\.remoteID)).symmetricDifference(ids).isEmpty, "Trestle links each post to its status")
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
        if let postgres { try await PostgresTestDatabases.shared.drop(postgres.name) }
    }

    private func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("gave up waiting after \(seconds) s")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
