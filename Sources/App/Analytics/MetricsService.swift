import Fluent
import Foundation
import Networks
import SQLKit
import TextRules

/// Analytics read from the networks themselves: each published delivery's likes, reposts,
/// replies, quotes and impressions (where the network gives them), read again on a schedule
/// that slows as the post ages (`MetricsSchedule`), and each channel's followers once a day.
/// One refresh job per channel reads its due posts in batches (one network call for many).
struct MetricsService: Sendable {
    let db: any Database
    let wiring: Wiring

    static let refreshJob = "metrics.refresh"
    /// How far back a channel's followers are shown.
    static let followersDays = 90

    struct RefreshPayload: Codable {
        var channel: UUID
    }

    /// Gives every channel on a network with counts its reading state and first run; runs when
    /// the worker starts and then now and again, so channels connected since are read.
    func startReaders() async throws {
        let networks = wiring.metricsReaders.networks
        guard !networks.isEmpty else { return }
        try await restartOverdueReaders()
        let sql = db as! any SQLDatabase
        let unread = try await sql.raw("""
            SELECT c.id FROM channels c LEFT JOIN metrics_readers r ON r.channel_id = c.id
            WHERE r.id IS NULL AND c.network IN (\(binds: networks.map(\.rawValue)))
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        let now = wiring.clock.now()
        for channelID in unread {
            try await db.transaction { db in
                let state = MetricsReaderState()
                state.id = UUID()
                state.$channel.id = channelID
                state.nextRunAt = now
                state.followersDueAt = now
                state.failures = 0
                // Another worker may start the same channel at the same moment: one of them does.
                let started = try await (db as! any SQLDatabase).insert(into: MetricsReaderState.schema)
                    .columns("id", "channel_id", "next_run_at", "followers_due_at", "failures")
                    .values(SQLBind(state.id), SQLBind(channelID), SQLBind(now), SQLBind(now), SQLBind(0))
                    .ignoringConflicts(with: ["channel_id"]).returning("id").all()
                guard !started.isEmpty else { return }
                try await MetricsService(db: db, wiring: wiring).scheduleRefresh(of: state)
            }
        }
    }

    /// A channel whose refresh is long overdue lost its job (given up after workers died under
    /// it): it is queued again, so no channel's counts stop. A run sets the next time, so a
    /// channel is queued again at most once per sweep.
    private func restartOverdueReaders() async throws {
        let now = wiring.clock.now()
        for state in try await MetricsReaderState.query(on: db).filter(\.$nextRunAt < now.addingTimeInterval(-Self.overdueAfter)).all() {
            state.nextRunAt = now
            try await db.transaction { db in
                try await state.save(on: db)
                try await MetricsService(db: db, wiring: wiring).scheduleRefresh(of: state)
            }
        }
    }

    /// How late a refresh may be before its channel's job counts as lost (a run is never more
    /// than a quarter of an hour from the next).
    static let overdueAfter: TimeInterval = 3_600

    /// Queues the channel's next refresh at its `nextRunAt`; runs on the caller's transaction.
    func scheduleRefresh(of state: MetricsReaderState) async throws {
        let payload = String(decoding: try JSONEncoder().encode(RefreshPayload(channel: state.$channel.id)), as: UTF8.self)
        try await wiring.jobs(on: db).enqueue(Self.refreshJob, payload: payload, runAt: state.nextRunAt)
    }

    /// The counts read so far of these deliveries, by delivery id; those not read yet are absent.
    func metrics(of deliveryIDs: [UUID]) async throws -> [UUID: DeliveryMetrics] {
        var found: [UUID: DeliveryMetrics] = [:]
        for chunk in deliveryIDs.chunked(by: 500) {
            for row in try await DeliveryMetrics.query(on: db).filter(\.$id ~~ Array(chunk)).filter(\.$readAt != nil).all() {
                if let id = row.id { found[id] = row }
            }
        }
        return found
    }

    /// The channel's followers per UTC day, oldest first, for the last `days` days.
    func followers(of channel: Channel, days: Int = followersDays) async throws -> [(day: String, followers: Int)] {
        let since = Self.day(of: wiring.clock.now().addingTimeInterval(-Double(max(days - 1, 0)) * MetricsSchedule.day))
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT day, followers FROM channel_followers WHERE channel_id = \(bind: channel.requireID()) AND day >= \(bind: since) ORDER BY day
            """).all()
        return try rows.map { row -> (day: String, followers: Int) in
            (try row.decode(column: "day", as: String.self), try row.decode(column: "followers", as: Int.self))
        }
    }

    /// The UTC day of `date`, as `yyyy-MM-dd`.
    static func day(of date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// Midnight UTC after `date`.
    static func nextDay(after date: Date) -> Date {
        utc.date(byAdding: .day, value: 1, to: utc.startOfDay(for: date)) ?? date.addingTimeInterval(MetricsSchedule.day)
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
