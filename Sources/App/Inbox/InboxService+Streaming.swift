import Fluent
import Foundation
import Logging
import Networks
import Synchronization

/// Hearing within seconds where the network pushes (Mastodon's streaming API): one stream job
/// per channel holds the connection for a turn, keeps each message as it comes, and queues the
/// next turn when it ends. When the connection drops, a poll runs at once, so what was said
/// while it was down is read from the cursor; polling goes on beside the stream all along.
extension InboxService {
    static let streamJob = "inbox.stream"
    /// How long one job holds a connection before handing over to the next, which sees a
    /// channel's changes (disconnected, new credentials) and spreads streams over workers.
    static let streamTurn: Duration = .seconds(600)
    /// How long to wait before connecting again after a connection failed, doubling up to
    /// `longestStreamWait`.
    static let firstStreamWait: TimeInterval = 5
    static let longestStreamWait: TimeInterval = 300

    private struct StreamPayload: Codable {
        var channel: UUID
        /// Connections that failed in a row before this one.
        var failures: Int
    }

    /// Queues a turn of the channel's stream; runs on the caller's transaction.
    func scheduleStream(of channelID: UUID, at instant: Date, failures: Int = 0) async throws {
        let payload = String(decoding: try JSONEncoder().encode(StreamPayload(channel: channelID, failures: failures)), as: UTF8.self)
        try await wiring.jobs(on: db).enqueue(Self.streamJob, payload: payload, runAt: instant)
    }

    /// The worker's job: one turn of the channel's stream.
    func stream(job: JobQueue.Claimed) async throws -> JobOutcome {
        guard let payload = try? JSONDecoder().decode(StreamPayload.self, from: Data(job.payload.utf8)) else {
            return .failed("An inbox stream without its channel.")
        }
        // A channel disconnected meanwhile has no more turns.
        guard let channel = try await Channel.find(payload.channel, on: db),
              let stream = wiring.inboxReaders.stream(for: channel.network) else { return .done }
        guard channel.status == .active else {
            // Tried again later: connecting the account again makes it active.
            try await scheduleStream(of: payload.channel, at: wiring.clock.now().addingTimeInterval(Self.longestStreamWait), failures: payload.failures)
            return .done
        }
        let account = try await wiring.channels(on: db).account(of: channel)
        let logger = Logger(label: "trestle.inbox")
        try await markStreaming(channel, since: wiring.clock.now())
        let heard = Heard()
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in stream.messages(as: account) {
                        try await db.transaction { db in _ = try await InboxService(db: db, wiring: wiring).take([message], from: channel) }
                        heard.yes()
                    }
                }
                group.addTask { try await Task.sleep(for: Self.streamTurn) }
                // Whichever ends first ends the turn: the connection, or the time.
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
            failure = nil
        } catch {
            failure = error
            logger.notice("The stream of \(channel.handle) failed: \(String(describing: error))")
        }
        if Task.isCancelled {
            // The worker is stopping: the same turn is taken up again, here or elsewhere.
            return .retry(at: wiring.clock.now(), reason: "The worker stopped.")
        }
        let failures = failure == nil || heard.any ? 0 : min(payload.failures + 1, 16)
        let wait = failures == 0 ? 0 : min(Self.longestStreamWait, Self.firstStreamWait * pow(2, Double(failures - 1)))
        let now = wiring.clock.now()
        try await db.transaction { db in
            let service = InboxService(db: db, wiring: wiring)
            try await service.markStreaming(channel, since: nil)
            // What was said while nothing listened is read from the cursor, now.
            if let state = try await InboxReaderState.query(on: db).filter(\.$channel.$id == channel.requireID()).first() {
                state.nextPollAt = now
                try await state.save(on: db)
                try await service.schedulePoll(of: state)
            }
            try await service.scheduleStream(of: channel.requireID(), at: now.addingTimeInterval(wait), failures: failures)
        }
        return .done
    }

    private func markStreaming(_ channel: Channel, since: Date?) async throws {
        guard let state = try await InboxReaderState.query(on: db).filter(\.$channel.$id == channel.requireID()).first() else { return }
        state.streamingSince = since
        try await state.save(on: db)
    }
}

/// Whether a turn kept any message: a connection that worked and then dropped is no failure.
private final class Heard: Sendable {
    private let heard = Mutex(false)
    func yes() { heard.withLock { $0 = true } }
    var any: Bool { heard.withLock { $0 } }
}
