import Fluent
import Foundation

/// Records that a worker is alive and tells whether any is.
struct WorkerHeartbeatService: Sendable {
    /// A worker beats every `interval`; one silent for `staleAfter` counts as stopped.
    static let interval: TimeInterval = 10
    static let staleAfter: TimeInterval = 60

    let db: any Database

    func beat(node: String, at now: Date = Date()) async throws {
        if let existing = try await WorkerHeartbeat.find(node, on: db) {
            existing.lastBeatAt = now
            try await existing.update(on: db)
        } else {
            try await WorkerHeartbeat(node: node, lastBeatAt: now).create(on: db)
        }
    }

    /// The most recent beat of any worker.
    func lastBeat() async throws -> Date? {
        try await WorkerHeartbeat.query(on: db).max(\.$lastBeatAt)
    }
}
