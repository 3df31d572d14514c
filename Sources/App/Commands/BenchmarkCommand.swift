import Fluent
import Foundation
import Networks
import SQLKit
import Synchronization
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// `trestle benchmark …`: measurements for `benchmarks/publishing.sh`, run against a database of
/// their own (never an installation's): how late 10,000 deliveries go out with real worker
/// processes, how fast the job runner claims and completes beside a bare SQL loop, and how much
/// memory a worker uses with 100,000 deliveries scheduled.
struct BenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "publishing | jobs | memory | calendar | site | feeds-poll | inbox-latency | inbox-ingest | reports")
        var what: String
        @Option(name: "count", help: "deliveries or jobs")
        var count: Int?
        @Option(name: "clicks", help: "clicks on the posts' links (reports)")
        var clicks: Int?
        @Option(name: "workers", help: "worker processes (publishing)")
        var workers: Int?
        @Option(name: "instance", help: "the loopback fake instance's address (publishing, memory)")
        var instance: String?
        @Option(name: "concurrency", help: "jobs run at once (jobs)")
        var concurrency: Int?
        @Option(name: "claim-loops", help: "loops claiming at once, sharing the slots (jobs)")
        var claimLoops: Int?
        @Option(name: "hosts", help: "loopback hosts 127.0.0.1… serving the feeds (feeds-poll)")
        var hosts: Int?
        @Option(name: "feed-port", help: "the port every feed host listens on (feeds-poll)")
        var feedPort: Int?
        @Option(name: "channels", help: "channels whose notifications are read (inbox-ingest)")
        var channels: Int?
        @Option(name: "spacing-ms", help: "milliseconds between replies (inbox-latency)")
        var spacingMilliseconds: Int?
        @Flag(name: "no-stream", help: "the instance has no streaming API: polling only (inbox-latency)")
        var noStream: Bool
    }

    var help: String { "Measures publishing, the job runner and memory for benchmarks/publishing.sh (on a throwaway database)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.what {
        case "publishing":
            try await publishing(app, count: signature.count ?? 10_000, workers: signature.workers ?? 1, instance: signature.instance ?? "")
        case "jobs":
            try await jobs(app, count: signature.count ?? 20_000, concurrency: signature.concurrency ?? 16, claimLoops: signature.claimLoops ?? 1)
        case "memory":
            try await memory(app, count: signature.count ?? 100_000, instance: signature.instance ?? "")
        case "calendar":
            try await calendar(app, count: signature.count ?? 10_000)
        case "site":
            try await site(app, count: signature.count ?? 10_000)
        case "feeds-poll":
            try await feedsPoll(app, count: signature.count ?? 1_000, hosts: signature.hosts ?? 50, port: signature.feedPort ?? 0)
        case "inbox-latency":
            try await inboxLatency(app, instance: signature.instance ?? "", count: signature.count ?? 200,
                                   spacing: .milliseconds(signature.spacingMilliseconds ?? 100), streaming: !signature.noStream)
        case "inbox-ingest":
            try await inboxIngest(app, instance: signature.instance ?? "", channels: signature.channels ?? 100, notifications: signature.count ?? 100_000)
        case "reports":
            try await reports(app, posts: signature.count ?? 10_000, clicks: signature.clicks ?? 1_000_000, runs: 7)
        default:
            throw SettingsError("Say what to measure: publishing, jobs, memory, calendar, site, feeds-poll, inbox-latency, inbox-ingest or reports.")
        }
    }

    // MARK: Publishing

    /// `count` deliveries due within one minute, published by `workers` real worker processes.
    private func publishing(_ app: Application, count: Int, workers: Int, instance: String) async throws {
        let start = Date().addingTimeInterval(15)
        try await seed(app, deliveries: count, instance: instance) { index in start.addingTimeInterval(60 * Double(index) / Double(count)) }
        let processes = try (0..<workers).map { _ in try Self.worker() }
        defer { processes.forEach { $0.terminate() }; processes.forEach { $0.stopAndWait() } }
        let sql = app.db as! any SQLDatabase
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            let row = try await sql.raw("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'published'").first()
            if try row?.decode(column: "n", as: Int.self) == count { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let rows = try await sql.raw("SELECT scheduled_at, published_at FROM deliveries WHERE state = 'published'").all()
        let lateness = try rows.map { try $0.decode(column: "published_at", as: Date.self).timeIntervalSince($0.decode(column: "scheduled_at", as: Date.self)) }.sorted()
        let published = try rows.map { try $0.decode(column: "published_at", as: Date.self) }.sorted()
        guard let first = published.first, let last = published.last, !lateness.isEmpty else {
            return print("publishing: nothing was published")
        }
        let rate = Double(published.count) / max(last.timeIntervalSince(first), 0.001)
        print(String(format: "publishing: %d of %d published by %d worker(s); lateness p50 %.3f s, p99 %.3f s, max %.3f s; %.0f deliveries/s while due",
                     published.count, count, workers, Self.percentile(lateness, 0.5), Self.percentile(lateness, 0.99), lateness.last!, rate))
    }

    // MARK: Calendar

    /// `count` deliveries spread over this month, for a person who signs in with the email and
    /// password printed, to measure the calendar with (run `serve --no-worker` beside it).
    private func calendar(_ app: Application, count: Int) async throws {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let month = utc.dateInterval(of: .month, for: Date())!
        let password = "calendar benchmark"
        let email = try await seed(app, deliveries: count, instance: "https://bench.example", password: password) { index in
            month.start.addingTimeInterval(month.duration * Double(index) / Double(count))
        }
        print("\(email) \(password)")
    }

    // MARK: Site

    /// A Site channel with `count` published posts, one an hour back from now, for
    /// `benchmarks/site.sh` to read its page and feeds; prints the site's path.
    private func site(_ app: Application, count: Int) async throws {
        let db = app.db
        let user = User(email: "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com", passwordHash: "-")
        try await user.create(on: db)
        let workspace = try await WorkspaceService(db: db).create(name: "Benchmark", owner: user)
        let site = try await app.wiring.channels(on: db).makeSite(named: "Corner Bakery", timezone: "UTC", in: workspace)
        let now = Date()
        for batchStart in stride(from: 0, to: count, by: 500) {
            let range = batchStart..<min(batchStart + 500, count)
            let posts = range.map { index in
                Post(workspaceID: workspace.id!, authorID: user.id,
                     text: "Fresh rye & sourdough, post \(index): out of the oven at 7. https://bakery.example/bread/\(index) #bread @miller@bakers.example",
                     thread: [])
            }
            posts.forEach { $0.id = UUID(); $0.status = .scheduled }
            try await posts.create(on: db)
            let deliveries = try zip(posts, range).map { post, index in
                let published = now.addingTimeInterval(-3600 * Double(count - index))
                let delivery = try Delivery(postID: post.requireID(), channel: site, scheduledAt: published, now: now)
                delivery.state = .published
                delivery.publishedAt = published
                delivery.remoteID = delivery.idempotencyKey
                delivery.remoteURL = "\(site.serverURL)/\(delivery.idempotencyKey)"
                return delivery
            }
            try await deliveries.create(on: db)
        }
        print(site.serverURL)
    }

    /// A workspace with one Mastodon channel on `instance`, and `deliveries` posts to it, due at
    /// `due(index)`, with their publish jobs; written in batches, as a busy month would be.
    /// Returns the email of the workspace's owner, who signs in with `password` when one is given.
    @discardableResult
    private func seed(_ app: Application, deliveries: Int, instance: String, password: String? = nil, due: (Int) -> Date) async throws -> String {
        let db = app.db
        let hash = try await password.asyncMap { try await PasswordHashing(application: app).hash($0) } ?? "-"
        let user = User(email: "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com", passwordHash: hash)
        try await user.create(on: db)
        let workspace = try await WorkspaceService(db: db).create(name: "Benchmark", owner: user)
        let channel = Channel(id: UUID(), workspaceID: try workspace.requireID(), network: .mastodon, name: "Bench", handle: "@bench@bench.example",
                              remoteID: "10984", serverURL: instance, timezone: "UTC")
        channel.sealedCredentials = try app.wiring.sealer.seal(NetworkCredentials(accessToken: "bench-token"), for: channel.requireID())
        try await channel.create(on: db)
        let now = Date()
        // Texts of their own per run, so the instance can tell a post sent twice from another run's.
        let run = UUID().uuidString.prefix(8)
        for batchStart in stride(from: 0, to: deliveries, by: 500) {
            let range = batchStart..<min(batchStart + 500, deliveries)
            let posts = range.map { Post(workspaceID: workspace.id!, authorID: user.id, text: "Benchmark \(run) post \($0)", thread: []) }
            posts.forEach { $0.id = UUID(); $0.status = .scheduled }
            try await posts.create(on: db)
            let batch = try zip(posts, range).map { post, index in try Delivery(postID: post.requireID(), channel: channel, scheduledAt: due(index), now: now) }
            try await batch.create(on: db)
            let queue = app.wiring.jobs(on: db)
            for delivery in batch {
                try await queue.enqueue(DeliveryService.publishJob, payload: #"{"delivery":"\#(try delivery.requireID().uuidString)"}"#, runAt: delivery.scheduledAt)
            }
        }
        return user.email
    }

    /// `trestle worker`, this very binary, with this process's environment.
    static func worker() throws -> WorkerChild {
        try WorkerChild(binary: URL(fileURLWithPath: CommandLine.arguments[0]))
    }

    // MARK: Job runner

    /// No-op jobs claimed and completed by the job runner, and by a bare SQL loop beside it.
    private func jobs(_ app: Application, count: Int, concurrency: Int, claimLoops: Int) async throws {
        let sql = app.db as! any SQLDatabase
        let queue = app.wiring.jobs(on: app.db)
        try await Self.insertNoOpJobs(sql, kind: "bench.noop", count: count)
        // Done when every job ran and the last of them left the queue; the count is watched in
        // memory so that watching costs the database nothing.
        let ran = Atomic<Int>(0)
        let runner = JobRunner(queue: queue, node: "bench", kinds: [JobKind(name: "bench.noop", concurrency: concurrency, claimLoops: claimLoops) { _ in
            ran.add(1, ordering: .relaxed)
            return .done
        }], pollInterval: .milliseconds(20))
        let started = Date()
        await runner.start()
        while ran.load(ordering: .relaxed) < count { try await Task.sleep(for: .milliseconds(1)) }
        while try await queue.pending("bench.noop") > 0 { try await Task.sleep(for: .milliseconds(1)) }
        let runnerRate = Double(count) / Date().timeIntervalSince(started)
        await runner.stop()
        print(String(format: "jobs: job runner %.0f jobs/s (%d no-op jobs, %d at once, %d claim loop(s))", runnerRate, count, concurrency, claimLoops))

        guard sql.dialect.name == "postgresql" else { return }
        // The ceiling: the runner's own two statements — claim a batch with its lease, complete
        // it — in a bare loop with nothing between them, on as many connections as the runner's
        // loops use (two each: a claim and a recording in flight). Beside it the textbook loop,
        // one job per statement.
        let batch = max(1, concurrency / max(1, claimLoops))
        try await Self.insertNoOpJobs(sql, kind: "bench.bare", count: count)
        let ceilingStarted = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for loop in 0..<(2 * max(1, claimLoops)) {
                group.addTask {
                    while case let claimed = try await queue.claim("bench.bare", owner: "bare-\(loop)", limit: batch, lease: 60), !claimed.isEmpty {
                        try await queue.complete(claimed, owner: "bare-\(loop)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let ceiling = Double(count) / Date().timeIntervalSince(ceilingStarted)
        let single = try await Self.textbookLoop(sql, count: count, connections: 16)
        print(String(format: "jobs: bare SQL FOR UPDATE SKIP LOCKED loop %.0f jobs/s in batches of %d (the ceiling; the job runner is %.0f %% of it), %.0f jobs/s one job per statement",
                     ceiling, batch, 100 * runnerRate / ceiling, single))
    }

    /// `count` jobs of `kind` due now, a thousand rows per statement.
    private static func insertNoOpJobs(_ sql: any SQLDatabase, kind: String, count: Int) async throws {
        for batchStart in stride(from: 0, to: count, by: 1_000) {
            var insert = SQLQueryString("INSERT INTO jobs (id, kind, payload, run_at, attempts, created_at) VALUES ")
            let now = Date()
            for index in batchStart..<min(batchStart + 1_000, count) {
                if index > batchStart { insert.appendInterpolation(unsafeRaw: ", ") }
                insert.appendInterpolation(unsafeRaw: "(")
                insert.appendInterpolation(bind: UUID())
                insert.appendInterpolation(unsafeRaw: ", ")
                insert.appendInterpolation(bind: kind)
                insert.appendInterpolation(unsafeRaw: ", '{}', ")
                insert.appendInterpolation(bind: now)
                insert.appendInterpolation(unsafeRaw: ", 0, ")
                insert.appendInterpolation(bind: now)
                insert.appendInterpolation(unsafeRaw: ")")
            }
            try await sql.raw(insert).run()
        }
    }

    /// No-op jobs taken one per statement, deleted as they are claimed, on `connections` at once.
    private static func textbookLoop(_ sql: any SQLDatabase, count: Int, connections: Int) async throws -> Double {
        try await sql.raw("CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, payload text NOT NULL)").run()
        try await sql.raw("INSERT INTO bench_ceiling (payload) SELECT '{}' FROM generate_series(1, \(unsafeRaw: String(count)))").run()
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    while !(try await sql.raw("""
                        DELETE FROM bench_ceiling WHERE id = (SELECT id FROM bench_ceiling ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id
                        """).all()).isEmpty {}
                }
            }
            try await group.waitForAll()
        }
        let rate = Double(count) / Date().timeIntervalSince(started)
        try await sql.raw("DROP TABLE bench_ceiling").run()
        return rate
    }

    // MARK: Memory

    /// A worker's resident and peak memory with `count` deliveries scheduled ahead.
    private func memory(_ app: Application, count: Int, instance: String) async throws {
        let later = Date().addingTimeInterval(7 * 86_400)
        try await seed(app, deliveries: count, instance: instance) { index in later.addingTimeInterval(Double(index)) }
        let worker = try Self.worker()
        defer { worker.stopAndWait() }
        try await Task.sleep(for: .seconds(20))
        let status = (try? String(contentsOfFile: "/proc/\(worker.processIdentifier)/status", encoding: .utf8)) ?? ""
        let field = { (name: String) in status.split(separator: "\n").first { $0.hasPrefix(name) }.map { String($0.dropFirst(name.count)).trimmingCharacters(in: .whitespaces) } ?? "?" }
        print("memory: worker with \(count) deliveries scheduled: resident \(field("VmRSS:")), peak \(field("VmHWM:"))")
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}
