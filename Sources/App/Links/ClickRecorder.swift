import FluentKit
import Foundation
import Logging
import SQLKit
import Synchronization
import Vapor

/// Keeps clicks in memory and writes them in batches, so a redirect never waits for the
/// database. A batch is written every quarter second, or at once when `batchSize` are waiting,
/// and whatever waits when the server stops is written before it goes; only a crash can lose
/// the last quarter second's clicks.
final class ClickRecorder: Sendable {
    /// A click as it is stored: no address, a visitor hash under the day's salt.
    struct Click: Sendable {
        /// The `tc` the visitor was sent on with: conversions name it.
        var id: String
        var linkID: UUID
        var at: Date
        var byFetcher: Bool
        var visitor: String
        var referrer: String?
        var country: String?
    }

    static let batchSize = 500
    static let interval: Duration = .milliseconds(250)

    private let waiting = Mutex<[Click]>([])
    /// One flush at a time, so batches are written in order.
    private let flushing = Mutex(false)

    func record(_ click: Click) {
        waiting.withLock { $0.append(click) }
    }

    /// Clicks not yet written.
    var pending: Int { waiting.withLock { $0.count } }

    /// Writes every waiting click, in batches of `batchSize` rows; returns how many.
    @discardableResult
    func flush(to db: any SQLDatabase) async throws -> Int {
        let clicks = waiting.withLock { clicks in
            defer { clicks = [] }
            return clicks
        }
        guard !clicks.isEmpty else { return 0 }
        do {
            for start in stride(from: 0, to: clicks.count, by: Self.batchSize) {
                let batch = clicks[start..<min(start + Self.batchSize, clicks.count)]
                do {
                    try await Self.insert(batch, into: db)
                } catch let error as any DatabaseError where error.isConstraintFailure {
                    // A link deleted meanwhile: its clicks go with it, the others are written.
                    for click in batch {
                        do {
                            try await Self.insert([click], into: db)
                        } catch let error as any DatabaseError where error.isConstraintFailure {
                            continue
                        }
                    }
                }
            }
        } catch {
            // Kept for the next try rather than lost.
            waiting.withLock { $0.insert(contentsOf: clicks, at: 0) }
            throw error
        }
        return clicks.count
    }

    /// One statement for `clicks`; a repeated id is one click.
    private static func insert(_ clicks: some Collection<Click>, into db: any SQLDatabase) async throws {
        var insert = db.insert(into: "link_clicks").columns("id", "link_id", "clicked_at", "by_fetcher", "visitor", "referrer", "country")
        for click in clicks {
            insert = insert.values(SQLBind(click.id), SQLBind(click.linkID), SQLBind(click.at), SQLBind(click.byFetcher), SQLBind(click.visitor),
                                   SQLBind(click.referrer), SQLBind(click.country))
        }
        try await insert.ignoringConflicts(with: ["id"]).run()
    }

    /// Flushes every `interval` until cancelled, then once more.
    func run(on db: any SQLDatabase, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.interval)
            await flushLogging(db, logger: logger)
        }
        await flushLogging(db, logger: logger)
    }

    private func flushLogging(_ db: any SQLDatabase, logger: Logger) async {
        do {
            try await flush(to: db)
        } catch {
            logger.error("Writing clicks failed; they are kept for the next try: \(String(reflecting: error))")
        }
    }
}

/// Writes clicks while the server runs, and what waits when it stops.
struct ClickRecording: LifecycleHandler {
    private final class Loop: Sendable {
        let task = Mutex<Task<Void, Never>?>(nil)
    }

    private let loop = Loop()

    func didBootAsync(_ application: Application) async throws {
        let recorder = application.wiring.clicks, db = application.db as! any SQLDatabase, logger = Logger(label: "trestle.links")
        loop.task.withLock { $0 = Task { await recorder.run(on: db, logger: logger) } }
    }

    func shutdownAsync(_ application: Application) async {
        guard let task = loop.task.withLock({ $0 }) else { return }
        task.cancel()
        await task.value
    }
}
