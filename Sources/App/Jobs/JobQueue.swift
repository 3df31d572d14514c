import Foundation
import SQLKit

/// Background work kept in the database, so any worker on any node can do it and none is lost
/// when one stops.
///
/// A worker *claims* due jobs by taking a lease on them: `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL, one atomic `UPDATE … RETURNING` on SQLite (whose writers take turns), so each
/// job is claimed by one worker at a time. A live worker extends its leases; a dead worker's
/// run out, and the job is claimed again. Completing or rescheduling only succeeds while the
/// lease is still the caller's, so a worker that was presumed dead cannot undo the work of the
/// one that took over.
struct JobQueue: Sendable {
    static let table = "jobs"

    /// A job a worker holds the lease on.
    struct Claimed: Sendable, Equatable {
        var id: UUID
        var kind: String
        var payload: String
        /// Counting this one.
        var attempt: Int
    }

    let db: any SQLDatabase
    let clock: any WallClock
    /// Counts claims and failures for `/metrics`; nil counts nothing.
    var metrics: TrestleMetrics?

    /// Adds a job, due at `runAt` (now when nil).
    @discardableResult
    func enqueue(_ kind: String, payload: String = "{}", runAt: Date? = nil) async throws -> UUID {
        let id = UUID()
        let now = clock.now()
        try await db.raw("""
            INSERT INTO jobs (id, kind, payload, run_at, attempts, created_at)
            VALUES (\(bind: id), \(bind: kind), \(bind: payload), \(bind: runAt ?? now), 0, \(bind: now))
            """).run()
        return id
    }

    /// Takes a lease of `lease` seconds on up to `limit` due jobs of `kind`, oldest first.
    func claim(_ kind: String, owner: String, limit: Int, lease: TimeInterval) async throws -> [Claimed] {
        let now = clock.now()
        let lock: SQLQueryString = db.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await db.raw("""
            UPDATE jobs SET lease_owner = \(bind: owner), lease_expires_at = \(bind: now.addingTimeInterval(lease)), attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM jobs
                WHERE kind = \(bind: kind) AND failed_at IS NULL AND run_at <= \(bind: now)
                  AND (lease_expires_at IS NULL OR lease_expires_at < \(bind: now))
                ORDER BY run_at LIMIT \(bind: limit)\(lock)
            )
            RETURNING id, payload, attempts
            """).all()
        metrics?.jobsClaimed(kind, count: rows.count)
        return try rows.map {
            Claimed(id: try $0.decode(column: "id", as: UUID.self), kind: kind,
                    payload: try $0.decode(column: "payload", as: String.self), attempt: try $0.decode(column: "attempts", as: Int.self))
        }
    }

    /// These jobs are done and leave the queue, in one statement; a job whose lease passed to
    /// another worker stays for that worker. Returns how many left.
    @discardableResult
    func complete(_ jobs: [Claimed], owner: String) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await db.raw("DELETE FROM jobs WHERE lease_owner = \(bind: owner) AND id \(Self.among(jobs.map(\.id), in: db)) RETURNING id").all().count
    }

    /// `= ANY($1)` with one array on PostgreSQL (one bind, the same statement for any count);
    /// `IN (?, ?, …)` on SQLite, which has no arrays.
    private static func among(_ ids: [UUID], in db: any SQLDatabase) -> SQLQueryString {
        if db.dialect.name == "postgresql" { return "= ANY(\(bind: ids))" }
        var list = SQLQueryString("IN (")
        for (index, id) in ids.enumerated() {
            if index > 0 { list.appendInterpolation(unsafeRaw: ", ") }
            list.appendInterpolation(bind: id)
        }
        list.appendInterpolation(unsafeRaw: ")")
        return list
    }

    /// Renews every lease `owner` holds on jobs of `kind`; returns how many.
    @discardableResult
    func extendAll(_ kind: String, owner: String, lease: TimeInterval) async throws -> Int {
        try await db.raw("""
            UPDATE jobs SET lease_expires_at = \(bind: clock.now().addingTimeInterval(lease))
            WHERE kind = \(bind: kind) AND lease_owner = \(bind: owner) RETURNING id
            """).all().count
    }

    /// The job is due again at `runAt`, its lease given up, with the reason it did not finish.
    @discardableResult
    func retry(_ job: Claimed, owner: String, at runAt: Date, reason: String) async throws -> Bool {
        metrics?.jobFailed(job.kind, outcome: "retry")
        return try await stillOwned(db.raw("""
            UPDATE jobs SET run_at = \(bind: runAt), lease_owner = NULL, lease_expires_at = NULL, last_error = \(bind: reason)
            WHERE id = \(bind: job.id) AND lease_owner = \(bind: owner) RETURNING id
            """))
    }

    /// The job will not be tried again; it stays in the queue with its reason, for a person.
    @discardableResult
    func fail(_ job: Claimed, owner: String, reason: String) async throws -> Bool {
        metrics?.jobFailed(job.kind, outcome: "failed")
        return try await stillOwned(db.raw("""
            UPDATE jobs SET failed_at = \(bind: clock.now()), lease_owner = NULL, lease_expires_at = NULL, last_error = \(bind: reason)
            WHERE id = \(bind: job.id) AND lease_owner = \(bind: owner) RETURNING id
            """))
    }

    /// Jobs of `kind` not yet done: due, leased or waiting (failed ones excluded).
    func pending(_ kind: String) async throws -> Int {
        let row = try await db.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: kind) AND failed_at IS NULL").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    private func stillOwned(_ query: SQLRawBuilder) async throws -> Bool {
        !(try await query.all()).isEmpty
    }
}
