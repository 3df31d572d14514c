import Fluent
import Foundation
import Logging
import Networks
import SQLKit
import TextRules

/// Hearing: one poll job per channel, reading what came since the channel's cursor and storing
/// the items, the counts and the new cursor in one transaction, so a restart neither loses nor
/// repeats anything; and `take`, which keeps each message once however it arrives (a poll, the
/// stream, two of either at once).
extension InboxService {
    static let pollJob = "inbox.poll"
    /// However often a network fails, it is asked at least this often.
    static let longestBackoff: TimeInterval = 3_600
    /// Readings taken one after another in one poll before the rest waits for the next: a
    /// channel with a huge backlog does not hold a worker for long.
    static let mostReadingsPerPoll = 25

    private struct PollPayload: Codable {
        var channel: UUID
    }

    /// Gives every channel on a network with an inbox its reading state and first poll; runs
    /// when the worker starts and then now and again, so channels connected since are heard.
    func startReaders() async throws {
        let networks = wiring.inboxReaders.networks
        guard !networks.isEmpty else { return }
        try await restartOverdueReaders()
        // Only channels without a reading state: one indexed query however many are heard already.
        let unheard = try await (db as! any SQLDatabase).raw("""
            SELECT c.id FROM channels c LEFT JOIN inbox_readers r ON r.channel_id = c.id
            WHERE r.id IS NULL AND c.network IN (\(binds: networks.map(\.rawValue)))
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        guard !unheard.isEmpty else { return }
        let channels = try await Channel.query(on: db).filter(\.$id ~~ unheard).all()
        let now = wiring.clock.now()
        for channel in channels {
            try await db.transaction { db in
                let state = InboxReaderState(channelID: try channel.requireID(), nextPollAt: now)
                state.id = UUID()
                // Another worker may start the same channel at the same moment: one of them does.
                let started = try await (db as! any SQLDatabase).insert(into: InboxReaderState.schema)
                    .columns("id", "channel_id", "next_poll_at", "failures")
                    .values(SQLBind(state.id), SQLBind(state.$channel.id), SQLBind(now), SQLBind(0))
                    .ignoringConflicts(with: ["channel_id"]).returning("id").all()
                guard !started.isEmpty else { return }
                try await InboxService(db: db, wiring: wiring).schedulePoll(of: state)
                if wiring.inboxReaders.stream(for: channel.network) != nil {
                    try await InboxService(db: db, wiring: wiring).scheduleStream(of: channel.requireID(), at: now)
                }
            }
        }
    }

    /// A channel whose poll is long overdue lost its job (given up after workers died under it):
    /// it is queued again, so no channel goes unheard. A poll that runs sets the next time, so a
    /// channel is queued again at most once per sweep.
    private func restartOverdueReaders() async throws {
        let now = wiring.clock.now()
        let overdue = try await InboxReaderState.query(on: db)
            .filter(\.$nextPollAt < now.addingTimeInterval(-Self.overdueAfter - TimeInterval(wiring.inboxPollSeconds))).all()
        for state in overdue {
            state.nextPollAt = now
            try await db.transaction { db in
                try await state.save(on: db)
                try await InboxService(db: db, wiring: wiring).schedulePoll(of: state)
            }
        }
    }

    /// How late a poll may be before its channel's job counts as lost.
    static let overdueAfter: TimeInterval = 600

    /// Queues the channel's next poll at its `nextPollAt`; runs on the caller's transaction.
    func schedulePoll(of state: InboxReaderState) async throws {
        let payload = String(decoding: try JSONEncoder().encode(PollPayload(channel: state.$channel.id)), as: UTF8.self)
        try await wiring.jobs(on: db).enqueue(Self.pollJob, payload: payload, runAt: state.nextPollAt)
    }

    /// The worker's job. A failed poll is no failed job: the state keeps the reason and the
    /// channel is polled again after its backoff.
    func poll(job: JobQueue.Claimed) async throws -> JobOutcome {
        guard let payload = try? JSONDecoder().decode(PollPayload.self, from: Data(job.payload.utf8)) else {
            return .failed("An inbox poll without its channel.")
        }
        guard let state = try await InboxReaderState.query(on: db).filter(\.$channel.$id == payload.channel).first() else { return .done }
        // A second job of one channel finds the next poll still ahead and leaves it to that one.
        guard state.nextPollAt <= wiring.clock.now().addingTimeInterval(1) else { return .done }
        try await poll(state)
        return .done
    }

    /// Reads the channel's notifications since its cursor, now, and queues the next poll.
    func poll(_ state: InboxReaderState) async throws {
        guard let channel = try await Channel.find(state.$channel.id, on: db) else { return }
        guard let reader = wiring.inboxReaders.reader(for: channel.network) else { return }
        let interval = max(TimeInterval(wiring.inboxPollSeconds), reader.leastPollInterval)
        guard channel.status == .active else {
            // Heard again once the account is connected again.
            state.nextPollAt = wiring.clock.now().addingTimeInterval(interval)
            try await db.transaction { db in
                try await state.save(on: db)
                try await InboxService(db: db, wiring: wiring).schedulePoll(of: state)
            }
            return
        }
        do {
            var account = try await wiring.channels(on: db).account(of: channel)
            for _ in 0..<Self.mostReadingsPerPoll {
                let reading = try await reader.read(after: state.cursor, as: account)
                try await db.transaction { db in
                    let service = InboxService(db: db, wiring: wiring)
                    try await service.take(reading.messages, from: channel)
                    try await service.count(reading.counts, on: channel)
                    if let rotated = reading.credentials {
                        channel.sealedCredentials = try wiring.sealer.seal(rotated, for: channel.requireID())
                        try await channel.save(on: db)
                    }
                    state.cursor = reading.cursor
                    try await state.save(on: db)
                }
                if let rotated = reading.credentials { account.credentials = rotated }
                guard reading.hasMore else { break }
            }
        } catch let error as NetworkError {
            let now = wiring.clock.now()
            if case let .unauthorized(reason) = error {
                channel.status = .needsReconnect
                channel.problem = reason
                try await channel.save(on: db)
            }
            state.failures = min(state.failures + 1, 1_000)
            state.lastError = error.description
            state.lastPolledAt = now
            var wait = min(Self.longestBackoff, interval * pow(2, Double(min(state.failures, 16))))
            if case let .rateLimited(retryAfter?) = error { wait = max(wait, TimeInterval(min(retryAfter, 86_400))) }
            state.nextPollAt = now.addingTimeInterval(wait)
            try await db.transaction { db in
                try await state.save(on: db)
                try await InboxService(db: db, wiring: wiring).schedulePoll(of: state)
            }
            return
        }
        let now = wiring.clock.now()
        state.failures = 0
        state.lastError = nil
        state.lastPolledAt = now
        // On a steady beat from when this poll was due, so what is said waits one interval at
        // most, however long the reading took; after a pause, one interval from now.
        let next = state.nextPollAt.addingTimeInterval(interval)
        state.nextPollAt = next > now ? next : now.addingTimeInterval(interval)
        try await db.transaction { db in
            try await state.save(on: db)
            try await InboxService(db: db, wiring: wiring).schedulePoll(of: state)
        }
    }

    /// Keeps each message once as an item of the channel's workspace, linked to the delivery
    /// of ours it answers; returns how many were new. Runs on the caller's transaction.
    @discardableResult
    func take(_ messages: [InboxMessage], from channel: Channel) async throws -> Int {
        guard !messages.isEmpty else { return 0 }
        let sql = db as! any SQLDatabase
        let channelID = try channel.requireID()
        let workspaceID = channel.$workspace.id
        // The deliveries of ours the messages answer, in one query.
        let answered = Set(messages.compactMap(\.inReplyTo))
        var deliveries: [String: (delivery: UUID, post: UUID)] = [:]
        for chunk in Array(answered).chunked(by: 500) {
            let rows = try await sql.select().column("id").column("post_id").column("remote_id").from(Delivery.schema)
                .where("channel_id", .equal, SQLBind(channelID)).where("remote_id", .in, SQLBind.group(Array(chunk))).all()
            for row in rows {
                deliveries[try row.decode(column: "remote_id", as: String.self)] =
                    (try row.decode(column: "id", as: UUID.self), try row.decode(column: "post_id", as: UUID.self))
            }
        }
        let now = wiring.clock.now()
        let columns = [
            "id", "workspace_id", "channel_id", "channel_handle", "network", "dedupe_key", "kind", "private", "remote_id", "remote_cid",
            "remote_url", "in_reply_to_remote_id", "root", "delivery_id", "post_id", "author_name", "author_handle", "author_avatar_url",
            "author_url", "text", "html", "said_at", "received_at", "state",
        ]
        var inserted = 0
        // SQLite binds at most 32,766 values a statement: 24 columns × 500 rows stays below.
        for chunk in messages.chunked(by: 500) {
            var insert = sql.insert(into: InboxItem.schema).columns(columns)
            for message in chunk {
                let ours = message.inReplyTo.flatMap { deliveries[$0] }
                let root = message.root.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
                insert = insert.values([
                    SQLBind(UUID()), SQLBind(workspaceID), SQLBind(channelID), SQLBind(channel.handle), SQLBind(channel.network.rawValue),
                    SQLBind("\(channelID.uuidString.lowercased()):\(message.remoteID)"), SQLBind(message.kind.rawValue),
                    SQLBind(message.kind == .message), SQLBind(message.remoteID), SQLBind(message.cid), SQLBind(message.url),
                    SQLBind(message.inReplyTo), SQLBind(root), SQLBind(ours?.delivery), SQLBind(ours?.post),
                    SQLBind(message.author.name), SQLBind(message.author.handle), SQLBind(message.author.avatarURL), SQLBind(message.author.profileURL),
                    SQLBind(message.text), SQLBind(message.html), SQLBind(message.createdAt), SQLBind(now), SQLBind(InboxItem.State.open.rawValue),
                ])
            }
            inserted += try await insert.ignoringConflicts(with: ["dedupe_key"]).returning("id").all().count
        }
        if inserted > 0 {
            wiring.inbox.changed(workspaceID)
            wiring.metrics.inboxItems(inserted, network: channel.network.rawValue)
        }
        return inserted
    }

    /// Adds likes, reposts and follows to the channel's counts per day. Runs on the caller's
    /// transaction.
    func count(_ counts: [EngagementCount], on channel: Channel) async throws {
        var totals: [String: (day: String, kind: String, count: Int)] = [:]
        for count in counts where count.count > 0 {
            let key = "\(count.day)/\(count.kind.rawValue)"
            totals[key] = (count.day, count.kind.rawValue, (totals[key]?.count ?? 0) &+ min(count.count, 1_000_000))
        }
        guard !totals.isEmpty else { return }
        let sql = db as! any SQLDatabase
        let channelID = try channel.requireID()
        for total in totals.values {
            try await sql.raw("""
                INSERT INTO engagement_counts (channel_id, day, kind, count) VALUES (\(bind: channelID), \(bind: total.day), \(bind: total.kind), \(bind: total.count))
                ON CONFLICT (channel_id, day, kind) DO UPDATE SET count = engagement_counts.count + excluded.count
                """).run()
        }
    }

    /// The channel's likes, reposts and follows counted so far, per kind. PostgreSQL sums a
    /// BIGINT column as NUMERIC: the cast brings it back to an integer on both databases.
    func engagement(of channel: Channel) async throws -> [EngagementCount.Kind: Int] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT kind, CAST(SUM(count) AS BIGINT) AS total FROM engagement_counts WHERE channel_id = \(bind: channel.requireID()) GROUP BY kind
            """).all()
        var totals: [EngagementCount.Kind: Int] = [:]
        for row in rows {
            if let kind = EngagementCount.Kind(rawValue: try row.decode(column: "kind", as: String.self)) {
                totals[kind] = try row.decode(column: "total", as: Int.self)
            }
        }
        return totals
    }
}
