import Fluent
import Foundation
import SQLKit
import Vapor

extension BenchmarkCommand {
    /// One poll cycle of `count` subscriptions spread over `hosts` loopback hosts
    /// (127.0.0.1, 127.0.0.2 …, all on `port`), run by the job runner exactly as a worker runs
    /// it: the feed kind's concurrency, one request per host at a time. Every subscription has
    /// validators from an earlier poll, so the server can answer 304.
    func feedsPoll(_ app: Application, count: Int, hosts: Int, port: Int) async throws {
        let db = app.db
        let user = User(email: "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com", passwordHash: "-")
        try await user.create(on: db)
        let workspace = try await WorkspaceService(db: db).create(name: "Benchmark", owner: user)
        let channel = try await app.wiring.channels(on: db).makeSite(named: "Bench \(UUID().uuidString.prefix(6))", timezone: "UTC", in: workspace)
        let now = Date()
        for batchStart in stride(from: 0, to: count, by: 500) {
            let subscriptions = (batchStart..<min(batchStart + 500, count)).map { index in
                let subscription = FeedSubscription(
                    id: UUID(), workspaceID: workspace.id!, createdBy: user.id, url: "http://127.0.0.\(1 + index % max(1, hosts)):\(port)/feed/\(index)",
                    title: "Feed \(index)", channels: [channel.id!], template: FeedPostText.defaultTemplate, templates: [:], mode: .draft,
                    pollMinutes: FeedBridgeService.defaultPollMinutes, nextPollAt: now
                )
                subscription.etag = "\"v1\""
                return subscription
            }
            try await subscriptions.create(on: db)
            for subscription in subscriptions { try await app.wiring.feedBridge(on: db).schedulePoll(of: subscription) }
        }
        let runner = JobRunner(queue: app.wiring.jobs(on: db), node: "bench", kinds: [
            JobKind(name: FeedBridgeService.pollJob, concurrency: Worker.feedPollConcurrency, lease: 60) { job in
                try await app.wiring.feedBridge(on: db).poll(job: job)
            },
        ], pollInterval: Worker.jobPollInterval)
        let sql = db as! any SQLDatabase
        let started = Date()
        await runner.start()
        var polled = 0
        while Date().timeIntervalSince(started) < 600 {
            polled = try await sql.raw("SELECT COUNT(*) AS n FROM feed_subscriptions WHERE last_polled_at IS NOT NULL").first()?.decode(column: "n", as: Int.self) ?? 0
            if polled >= count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = Date().timeIntervalSince(started)
        await runner.stop()
        let failed = try await sql.raw("SELECT COUNT(*) AS n FROM feed_subscriptions WHERE last_error IS NOT NULL").first()?.decode(column: "n", as: Int.self) ?? 0
        let changed = try await sql.raw("SELECT COUNT(*) AS n FROM feed_subscriptions WHERE etag <> '\"v1\"'").first()?.decode(column: "n", as: Int.self) ?? 0
        let posts = try await Post.query(on: db).count()
        print(String(format: "feeds-poll: %d of %d feeds polled across %d hosts in %.2f s (%.0f polls/s); %d answered with a new version (%d posts made), %d failed",
                     polled, count, hosts, elapsed, Double(polled) / max(elapsed, 0.001), changed, posts, failed))
    }
}
