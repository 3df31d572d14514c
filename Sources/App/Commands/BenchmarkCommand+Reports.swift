import Fluent
import Foundation
import SQLKit
import Vapor

/// `benchmarks/reports.sh`: a workspace's report over the last 30 days with `posts` posts
/// published on four channels (one delivery and short link each), `clicks` clicks, a thousandth
/// of them turned into sales and leads, network counts for half the deliveries and a month of
/// follower counts; the report read several times and timed.
extension BenchmarkCommand {
    func reports(_ app: Application, posts: Int, clicks: Int, runs: Int) async throws {
        let now = Date()
        let seeded = Date()
        let workspace = try await seedReport(app, posts: posts, clicks: clicks, now: now)
        print(String(format: "reports: seeded %d posts and %d clicks in %.1f s (%@)", posts, clicks, Date().timeIntervalSince(seeded), (app.db as! any SQLDatabase).dialect.name))
        let period = ReportPeriod.last(ReportPeriod.defaultDays, before: now.addingTimeInterval(1))
        // Right after a million rows went in, before the database kept its statistics (and, on
        // PostgreSQL, marked the new pages all-visible, which index-only scans need) …
        try await measureReport(app, workspace: workspace, period: period, runs: runs, label: "just seeded")
        // … and as a database in service is: PostgreSQL's autovacuum does this within minutes of
        // a large insert; SQLite's statistics are what `PRAGMA optimize` keeps.
        let sql = app.db as! any SQLDatabase
        try await sql.raw(sql.dialect.name == "postgresql" ? "VACUUM ANALYZE" : "ANALYZE").run()
        try await measureReport(app, workspace: workspace, period: period, runs: runs, label: "statistics kept")
    }

    private func measureReport(_ app: Application, workspace: Workspace, period: ReportPeriod, runs: Int, label: String) async throws {
        let service = app.wiring.reports(on: app.db)
        let encoder = JSONEncoder()
        var times: [Double] = []
        var report: Report?
        for _ in 0..<runs {
            let started = Date()
            let read = try await service.report(for: workspace, over: period)
            // As the API answers it: the rows made into JSON.
            _ = try encoder.encode(ReportDTO(read))
            times.append(Date().timeIntervalSince(started))
            report = read
        }
        times.sort()
        guard let report else { return }
        print(String(format: "reports (%@): %d runs, min %.3f s, median %.3f s, max %.3f s; the report counted %d published, %d clicks, %d leads, %d sales, %d post rows",
                     label, runs, times.first!, times[times.count / 2], times.last!, report.totals.published, report.totals.clicks, report.totals.leads,
                     report.totals.sales, report.posts.count))
    }

    /// Written with multi-row inserts inside transactions, in batches the databases take.
    private func seedReport(_ app: Application, posts postCount: Int, clicks clickCount: Int, now: Date) async throws -> Workspace {
        let db = app.db
        let user = User(email: "bench-\(UUID().uuidString.prefix(8).lowercased())@example.com", passwordHash: "-")
        try await user.create(on: db)
        let workspace = try await WorkspaceService(db: db).create(name: "Benchmark", owner: user)
        let workspaceID = try workspace.requireID()
        var channels: [Channel] = []
        for (index, zone) in ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"].enumerated() {
            let channel = Channel(id: UUID(), workspaceID: workspaceID, network: .mastodon, name: "Bench \(index)", handle: "@bench\(index)@bench.example",
                                  remoteID: "\(index)", serverURL: "https://bench.example", timezone: zone)
            channel.sealedCredentials = Data()
            try await channel.create(on: db)
            channels.append(channel)
        }
        let month = 30.0 * 86_400
        // A fixed sequence, so every run measures the same data.
        var random = SplitMix(seed: 2026)
        var links: [(link: UUID, published: Date)] = []
        links.reserveCapacity(postCount)
        // Made here, written below in transactions of their own.
        var posts: [Post] = [], deliveries: [Delivery] = [], shortLinks: [ShortLink] = [], metricRows: [[any SQLExpression]] = []
        for index in 0..<postCount {
            let channel = channels[index % channels.count]
            let published = now.addingTimeInterval(-month * Double(index) / Double(postCount) - 60)
            // Fluent writes the array and dictionary columns as each database keeps them.
            let post = Post(workspaceID: workspaceID, authorID: user.id, text: "Benchmark post \(index): fresh rye at seven", thread: [])
            post.id = UUID()
            post.status = .scheduled
            let delivery = try Delivery(postID: post.requireID(), channel: channel, scheduledAt: published, now: now)
            delivery.state = .published
            delivery.publishedAt = published
            let link = ShortLink(workspaceID: workspaceID, code: "b\(index)", url: "https://bakery.example/\(index)")
            link.id = UUID()
            link.deliveryID = delivery.id
            link.postID = post.id
            link.channelID = channel.id
            if index % 2 == 0 {
                metricRows.append([SQLBind(try delivery.requireID()), SQLBind(Int64(random.next() % 50)), SQLBind(Int64(random.next() % 10)),
                                   SQLBind(Int64(random.next() % 5)), SQLBind(Int64(0)), SQLBind(now)])
            }
            posts.append(post)
            deliveries.append(delivery)
            shortLinks.append(link)
            links.append((try link.requireID(), published))
        }
        var followerRows: [[any SQLExpression]] = []
        for channel in channels {
            let zone = TimeZone(identifier: channel.timezone)!
            for day in 0..<31 {
                followerRows.append([SQLBind(try channel.requireID()), SQLBind(DateText.format(now.addingTimeInterval(-86_400 * Double(30 - day)), "yyyy-MM-dd", in: zone, locale: "en_US_POSIX")),
                                     SQLBind(Int64(1_000 + day * 7))])
            }
        }
        let batch = 500
        for start in stride(from: 0, to: postCount, by: batch) {
            let range = start..<min(start + batch, postCount)
            let (somePosts, someDeliveries, someLinks) = (Array(posts[range]), Array(deliveries[range]), Array(shortLinks[range]))
            try await db.transaction { db in
                try await somePosts.create(on: db)
                try await someDeliveries.create(on: db)
                try await someLinks.create(on: db)
            }
        }
        let (metrics, followers) = (metricRows, followerRows)
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            for start in stride(from: 0, to: metrics.count, by: 1_000) {
                try await sql.insert(into: "delivery_metrics").columns("delivery_id", "likes", "reposts", "replies", "quotes", "read_at")
                    .rows(metrics[start..<min(start + 1_000, metrics.count)]).run()
            }
            try await sql.insert(into: "channel_followers").columns("channel_id", "day", "followers").rows(followers).run()
        }
        // Clicks after their post was published, until now; one in ten from a link preview.
        let perStatement = 2_000
        for start in stride(from: 0, to: clickCount, by: 100_000) {
            var statements: [(clicks: [[any SQLExpression]], conversions: [[any SQLExpression]])] = []
            for piece in stride(from: start, to: min(start + 100_000, clickCount), by: perStatement) {
                var clickRows: [[any SQLExpression]] = [], conversionRows: [[any SQLExpression]] = []
                for index in piece..<min(piece + perStatement, clickCount) {
                    let (link, published) = links[Int(random.next() % UInt64(links.count))]
                    let clicked = published.addingTimeInterval(Double(random.next() % UInt64(max(now.timeIntervalSince(published), 1))))
                    let id = String(format: "c%015d", index)
                    clickRows.append([SQLBind(id), SQLBind(link), SQLBind(clicked), SQLBind(index % 10 == 9), SQLBind("v\(index % 5_000)")])
                    if index % 1_000 == 0 {
                        let sale = index % 3_000 == 0
                        conversionRows.append([SQLBind(UUID()), SQLBind(workspaceID), SQLBind(sale ? "sale" : "lead"), SQLBind("order-\(index)"), SQLBind(sale ? Int64(19_990) : nil),
                                               SQLBind(sale ? "EUR" : nil), SQLBind(id), SQLBind("api"), SQLBind(min(clicked.addingTimeInterval(3_600), now))])
                    }
                }
                statements.append((clickRows, conversionRows))
            }
            let written = statements
            try await db.transaction { db in
                let sql = db as! any SQLDatabase
                for statement in written {
                    try await sql.insert(into: "link_clicks").columns("id", "link_id", "clicked_at", "by_fetcher", "visitor").rows(statement.clicks).run()
                    if !statement.conversions.isEmpty {
                        try await sql.insert(into: Conversion.schema).columns("id", "workspace_id", "kind", "order_id", "value_milli", "currency", "click_id", "source", "occurred_at")
                            .rows(statement.conversions).run()
                    }
                }
            }
        }
        return workspace
    }
}

/// SplitMix64: a small, fast, repeatable sequence for the benchmark's data.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D4_9BB3_1133_11EB
        return z ^ (z >> 31)
    }
}
