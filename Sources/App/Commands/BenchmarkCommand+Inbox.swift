import AsyncHTTPClient
import Fluent
import Foundation
import Networks
import SQLKit
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// `benchmarks/inbox.sh`: how soon a reply made on a loopback Mastodon instance is in the inbox
/// (a real `trestle worker` listening on the stream, or polling only), and how fast 100 channels'
/// notifications are read in, with the memory it takes.
extension BenchmarkCommand {
    /// `count` replies made on the instance, `spacing` apart, each timed from its `created_at`
    /// on the instance to when Trestle kept it.
    func inboxLatency(_ app: Application, instance: String, count: Int, spacing: Duration, streaming: Bool) async throws {
        let db = app.db
        let sql = db as! any SQLDatabase
        let (_, channels) = try await seedInboxChannels(app, instance: instance, count: 1)
        try await app.wiring.inbox(on: db).startReaders()
        let worker = try Self.worker()
        defer { worker.stopAndWait() }
        // Ready when the first poll is done and, with a stream, the stream is open.
        let ready = Date().addingTimeInterval(60)
        while Date() < ready {
            let row = try await sql.raw("SELECT last_polled_at, streaming_since FROM inbox_readers WHERE channel_id = \(bind: channels[0])").first()
            let polled = try row?.decode(column: "last_polled_at", as: Date?.self) != nil
            let streamed = try row?.decode(column: "streaming_since", as: Date?.self) != nil
            if polled && (streamed || !streaming) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let before = try await itemCount(sql)
        let client = HTTPClient.shared
        for _ in 0..<count {
            let response = try await client.execute(Self.post("\(instance)/control/reply?account=0"), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            try await Task.sleep(for: spacing)
        }
        let deadline = Date().addingTimeInterval(TimeInterval(app.wiring.inboxPollSeconds) * 3 + 30)
        while Date() < deadline, try await itemCount(sql) < before + count {
            try await Task.sleep(for: .milliseconds(50))
        }
        let rows = try await sql.raw("SELECT said_at, received_at FROM inbox_items ORDER BY said_at DESC LIMIT \(unsafeRaw: String(count))").all()
        let latencies = try rows.map { try $0.decode(column: "received_at", as: Date.self).timeIntervalSince($0.decode(column: "said_at", as: Date.self)) }.sorted()
        guard let slowest = latencies.last else { return print("inbox-latency: no reply arrived") }
        print(String(format: "inbox-latency (%@): %d of %d replies in the inbox; from reply to inbox p50 %.3f s, p99 %.3f s, max %.3f s (poll interval %d s)",
                     streaming ? "stream and polling" : "polling only", latencies.count, count,
                     Self.percentile(latencies, 0.5), Self.percentile(latencies, 0.99), slowest, app.wiring.inboxPollSeconds))
    }

    /// `count` notifications waiting on the instance, spread over `channels` accounts, read in
    /// by the job runner as a worker reads them (its poll concurrency, every page).
    func inboxIngest(_ app: Application, instance: String, channels count: Int, notifications: Int) async throws {
        let db = app.db
        let sql = db as! any SQLDatabase
        let client = HTTPClient.shared
        let seeded = try await client.execute(
            Self.post("\(instance)/control/seed?accounts=\(count)&per_account=\(notifications / max(1, count))"), timeout: .seconds(600)
        )
        _ = try await seeded.body.collect(upTo: 1 << 16)
        let expected = notifications / max(1, count) * count
        // A cursor before the first notification, so every one is read (a new channel reads only
        // the newest page).
        _ = try await seedInboxChannels(app, instance: instance, count: count, cursor: "0")
        let runner = JobRunner(queue: app.wiring.jobs(on: db), node: "bench", kinds: [
            JobKind(name: InboxService.pollJob, concurrency: Worker.inboxPollConcurrency, lease: 60) { job in
                try await app.wiring.inbox(on: db).poll(job: job)
            },
        ], pollInterval: Worker.jobPollInterval)
        let residentBefore = Self.memoryField("VmRSS:")
        let started = Date()
        await runner.start()
        var kept = 0
        while Date().timeIntervalSince(started) < 600 {
            kept = try await itemCount(sql)
            if kept >= expected { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = Date().timeIntervalSince(started)
        await runner.stop()
        let errors = try await sql.raw("SELECT COUNT(*) AS n FROM inbox_readers WHERE last_error IS NOT NULL").first()?.decode(column: "n", as: Int.self) ?? 0
        print(String(format: "inbox-ingest: %d of %d notifications from %d channels kept in %.2f s (%.0f items/s), %d channels failed; resident %@ before, peak %@",
                     kept, expected, count, elapsed, Double(kept) / max(elapsed, 0.001), errors, residentBefore, Self.memoryField("VmHWM:")))
    }

    /// A workspace with `count` Mastodon channels on the instance (tokens `bench-0`…), each with
    /// its inbox reading state; returns the workspace and channel ids.
    private func seedInboxChannels(_ app: Application, instance: String, count: Int, cursor: String? = nil) async throws -> (UUID, [UUID]) {
        let db = app.db
        let user = User(email: "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com", passwordHash: "-")
        try await user.create(on: db)
        let workspace = try await WorkspaceService(db: db).create(name: "Benchmark", owner: user)
        var ids: [UUID] = []
        for index in 0..<count {
            let channel = Channel(id: UUID(), workspaceID: try workspace.requireID(), network: .mastodon, name: "Bakery \(index)",
                                  handle: "@bakery\(index)@bench.example", remoteID: "9\(index)", serverURL: instance, timezone: "UTC")
            channel.sealedCredentials = try app.wiring.sealer.seal(NetworkCredentials(accessToken: "bench-\(index)"), for: channel.requireID())
            try await channel.create(on: db)
            if let cursor {
                let state = InboxReaderState(channelID: try channel.requireID(), nextPollAt: Date())
                state.cursor = cursor
                try await state.create(on: db)
                try await app.wiring.inbox(on: db).schedulePoll(of: state)
            }
            ids.append(try channel.requireID())
        }
        return (try workspace.requireID(), ids)
    }

    private static func post(_ url: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        return request
    }

    private func itemCount(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM inbox_items").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A line of this process's `/proc/self/status`, such as its resident or peak memory.
    static func memoryField(_ name: String) -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix(name) }.map { String($0.dropFirst(name.count)).trimmingCharacters(in: .whitespaces) } ?? "?"
    }
}
