import Fluent
import Foundation
import Networks
import SQLKit

/// The refresh job: per channel, make rows for deliveries published since, read the due ones
/// in batches the network takes at once, store each batch's counts in one transaction, read
/// the followers once a UTC day, and queue the next run for the earliest of what is due next.
extension MetricsService {
    /// A channel's job runs at least this often, so a post published since is read on time.
    static let longestSleep: TimeInterval = 900
    /// However often a network fails, it is asked at least this often.
    static let longestBackoff: TimeInterval = 3_600
    /// Posts read in one run; the rest are read in the next, queued at once.
    static let mostPostsPerRun = 100
    /// After a failed followers reading that concerns the count alone, when it is tried again.
    static let followersRetry: TimeInterval = 3_600
    /// A time read back from the database may be a hair later than the one written (SQLite
    /// keeps seconds in a double), while the jobs table, compared in SQL, already finds it due.
    /// What is due within this is due now, so a run never queues itself again at once for a
    /// reading it then finds not yet due.
    static let dueSlack: TimeInterval = 1

    /// The worker's job. A failed reading is no failed job: the state keeps the reason and the
    /// channel is read again after its backoff.
    func refresh(job: JobQueue.Claimed) async throws -> JobOutcome {
        guard let payload = try? JSONDecoder().decode(RefreshPayload.self, from: Data(job.payload.utf8)) else {
            return .failed("A metrics refresh without its channel.")
        }
        guard let state = try await MetricsReaderState.query(on: db).filter(\.$channel.$id == payload.channel).first() else { return .done }
        // A second job of one channel finds the next run still ahead and leaves it to that one.
        guard state.nextRunAt <= wiring.clock.now().addingTimeInterval(Self.dueSlack) else { return .done }
        try await refresh(state)
        return .done
    }

    /// Reads the channel's due counts and, once a day, its followers, now; queues the next run.
    func refresh(_ state: MetricsReaderState) async throws {
        guard let channel = try await Channel.find(state.$channel.id, on: db) else { return }
        guard let reader = wiring.metricsReaders.reader(for: channel.network) else { return }
        let channelID = try channel.requireID()
        guard channel.status == .active else {
            // Read again once the account is connected again.
            return try await finish(state, next: wiring.clock.now().addingTimeInterval(Self.longestSleep))
        }
        try await addRows(for: channelID)
        // A followers problem is kept until the followers are read again; any other clears here.
        var problem = state.lastError?.hasPrefix(Self.followersProblem) == true ? state.lastError : nil
        // The posts being read when a failure of the whole call came: they keep why.
        var asking: [DuePost] = []
        do {
            var account = try await wiring.channels(on: db).account(of: channel)
            let due = try await duePosts(of: channelID)
            for batch in due.chunked(by: max(1, reader.mostPostsPerReading)) {
                asking = Array(batch)
                let reading = try await reader.metrics(of: batch.map(\.remoteID), as: account)
                try await db.transaction { db in
                    try await MetricsService(db: db, wiring: wiring).store(reading, for: Array(batch), network: channel.network.displayName)
                    if let rotated = reading.credentials {
                        channel.sealedCredentials = try wiring.sealer.seal(rotated, for: channelID)
                        try await channel.save(on: db)
                    }
                }
                if let rotated = reading.credentials { account.credentials = rotated }
            }
            asking = []
            if state.followersDueAt <= wiring.clock.now().addingTimeInterval(Self.dueSlack) {
                problem = try await readFollowers(state, channel: channel, reader: reader, account: account)
            }
        } catch let error as NetworkError {
            let now = wiring.clock.now()
            if case let .unauthorized(reason) = error {
                channel.status = .needsReconnect
                channel.problem = reason
                try await channel.save(on: db)
            }
            // Their schedule stays: the channel's backoff decides when they are asked again.
            for chunk in asking.map(\.deliveryID).chunked(by: 500) {
                try await (db as! any SQLDatabase).update(DeliveryMetrics.schema).set("last_error", to: SQLBind(String(error.description.prefix(1_000))))
                    .where("delivery_id", .in, SQLBind.group(Array(chunk))).run()
            }
            state.failures = min(state.failures + 1, 1_000)
            state.lastError = error.description
            state.lastRunAt = now
            var wait = min(Self.longestBackoff, 60 * pow(2, Double(min(state.failures, 16))))
            if case let .rateLimited(retryAfter?) = error { wait = max(wait, TimeInterval(min(max(retryAfter, 0), 86_400))) }
            return try await finish(state, next: now.addingTimeInterval(wait))
        }
        let now = wiring.clock.now()
        state.failures = 0
        state.lastRunAt = now
        state.lastError = problem
        try await finish(state, next: try await nextRun(of: channelID, state: state, now: now))
    }

    /// Saves the state and queues its next run, in one transaction.
    private func finish(_ state: MetricsReaderState, next: Date) async throws {
        state.nextRunAt = next
        try await db.transaction { db in
            try await state.save(on: db)
            try await MetricsService(db: db, wiring: wiring).scheduleRefresh(of: state)
        }
    }

    /// The earliest of: the channel's next due post, its followers' day, the longest sleep.
    private func nextRun(of channelID: UUID, state: MetricsReaderState, now: Date) async throws -> Date {
        let row = try await (db as! any SQLDatabase).raw("""
            SELECT MIN(m.next_read_at) AS due FROM delivery_metrics m JOIN deliveries d ON d.id = m.delivery_id
            WHERE d.channel_id = \(bind: channelID) AND m.next_read_at IS NOT NULL
            """).first()
        let due: Date? = try row?.decode(column: "due", as: Date?.self) ?? nil
        var next = min(state.followersDueAt, now.addingTimeInterval(Self.longestSleep))
        if let due { next = min(next, due) }
        return max(next, now)
    }

    // MARK: Posts

    struct DuePost {
        var deliveryID: UUID
        var remoteID: String
        var publishedAt: Date
        var failures: Int
    }

    /// A row, due an hour after publishing, for each delivery of the channel published within
    /// the horizon that has none. Made here rather than when publishing, so deliveries
    /// published before analytics existed, or by a worker that stopped right after, are read too.
    private func addRows(for channelID: UUID) async throws {
        let sql = db as! any SQLDatabase
        let now = wiring.clock.now()
        let missing = try await sql.raw("""
            SELECT d.id, d.published_at FROM deliveries d LEFT JOIN delivery_metrics m ON m.delivery_id = d.id
            WHERE d.channel_id = \(bind: channelID) AND d.state = \(bind: Delivery.State.published.rawValue) AND d.remote_id IS NOT NULL
              AND d.published_at >= \(bind: now.addingTimeInterval(-MetricsSchedule.horizon)) AND m.delivery_id IS NULL
            LIMIT 500
            """).all()
        guard !missing.isEmpty else { return }
        var insert = sql.insert(into: DeliveryMetrics.schema).columns("delivery_id", "next_read_at", "reads", "failures")
        for row in missing {
            let publishedAt = try row.decode(column: "published_at", as: Date.self)
            insert = insert.values(SQLBind(try row.decode(column: "id", as: UUID.self)),
                                   SQLBind(MetricsSchedule.nextRead(publishedAt: publishedAt, after: publishedAt)), SQLBind(0), SQLBind(0))
        }
        try await insert.ignoringConflicts(with: ["delivery_id"]).run()
    }

    /// The channel's posts due a reading, the longest waiting first.
    private func duePosts(of channelID: UUID) async throws -> [DuePost] {
        try await (db as! any SQLDatabase).raw("""
            SELECT m.delivery_id, d.remote_id, d.published_at, m.failures FROM delivery_metrics m JOIN deliveries d ON d.id = m.delivery_id
            WHERE d.channel_id = \(bind: channelID) AND d.remote_id IS NOT NULL AND d.published_at IS NOT NULL
              AND m.next_read_at IS NOT NULL AND m.next_read_at <= \(bind: wiring.clock.now())
            ORDER BY m.next_read_at LIMIT \(unsafeRaw: String(Self.mostPostsPerRun))
            """).all().map {
            DuePost(deliveryID: try $0.decode(column: "delivery_id", as: UUID.self), remoteID: try $0.decode(column: "remote_id", as: String.self),
                    publishedAt: try $0.decode(column: "published_at", as: Date.self), failures: try $0.decode(column: "failures", as: Int.self))
        }
    }

    /// Writes one reading: counts and the next time by the schedule; a gone post is not read
    /// again (its last counts are kept); an unreadable one keeps why and is retried later and
    /// later. Runs on the caller's transaction.
    func store(_ reading: MetricsReading, for posts: [DuePost], network: String) async throws {
        let sql = db as! any SQLDatabase
        let now = wiring.clock.now()
        for post in posts {
            if let counts = reading.counts[post.remoteID] {
                try await sql.update(DeliveryMetrics.schema)
                    .set("likes", to: SQLBind(counts.likes.map { Int64($0) })).set("reposts", to: SQLBind(counts.reposts.map { Int64($0) }))
                    .set("replies", to: SQLBind(counts.replies.map { Int64($0) })).set("quotes", to: SQLBind(counts.quotes.map { Int64($0) }))
                    .set("impressions", to: SQLBind(counts.impressions.map { Int64($0) }))
                    .set("read_at", to: SQLBind(now)).set("reads", to: SQLRaw("reads + 1")).set("failures", to: SQLBind(0))
                    .set("last_error", to: SQLLiteral.null)
                    .set("next_read_at", to: SQLBind(MetricsSchedule.nextRead(publishedAt: post.publishedAt, after: now)))
                    .where("delivery_id", .equal, SQLBind(post.deliveryID)).run()
            } else if reading.gone.contains(post.remoteID) {
                try await sql.update(DeliveryMetrics.schema)
                    .set("next_read_at", to: SQLLiteral.null)
                    .set("last_error", to: SQLBind("The post is no longer on \(network) (deleted, or hidden from the account); its last counts are kept."))
                    .where("delivery_id", .equal, SQLBind(post.deliveryID)).run()
            } else {
                let failures = min(post.failures + 1, 1_000)
                let reason = reading.unreadable[post.remoteID] ?? "\(network) did not answer for this post."
                try await sql.update(DeliveryMetrics.schema)
                    .set("failures", to: SQLBind(failures)).set("last_error", to: SQLBind(String(reason.prefix(1_000))))
                    .set("next_read_at", to: SQLBind(MetricsSchedule.retry(publishedAt: post.publishedAt, after: now, failures: failures)))
                    .where("delivery_id", .equal, SQLBind(post.deliveryID)).run()
            }
        }
    }

    // MARK: Followers

    static let followersProblem = "Followers: "

    /// Reads how many follow the account and keeps it as today's count (a second reading the
    /// same day replaces the first). A refusal of the credentials or a wait asked for stands
    /// for the channel and is thrown; any other failure is the count's alone, tried again later,
    /// and returned to keep.
    private func readFollowers(_ state: MetricsReaderState, channel: Channel, reader: any MetricsReader, account: PublishingAccount) async throws -> String? {
        let count: FollowerCount
        do {
            count = try await reader.followers(as: account)
        } catch let error as NetworkError {
            switch error {
            case .unauthorized, .rateLimited: throw error
            default:
                state.followersDueAt = wiring.clock.now().addingTimeInterval(Self.followersRetry)
                return Self.followersProblem + error.description
            }
        }
        let now = wiring.clock.now()
        let channelID = try channel.requireID()
        try await db.transaction { db in
            try await (db as! any SQLDatabase).raw("""
                INSERT INTO channel_followers (channel_id, day, followers) VALUES (\(bind: channelID), \(bind: Self.day(of: now)), \(bind: Int64(count.followers)))
                ON CONFLICT (channel_id, day) DO UPDATE SET followers = excluded.followers
                """).run()
            if let rotated = count.credentials {
                channel.sealedCredentials = try wiring.sealer.seal(rotated, for: channelID)
                try await channel.save(on: db)
            }
        }
        state.followersDueAt = Self.nextDay(after: now)
        return nil
    }
}
