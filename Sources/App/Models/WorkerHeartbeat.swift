import Fluent
import Foundation

/// The last sign of life of one worker process, so a stopped worker is visible in `/healthz`.
final class WorkerHeartbeat: Model, @unchecked Sendable {
    static let schema = "worker_heartbeats"

    @ID(custom: "node", generatedBy: .user) var id: String?
    @Field(key: "last_beat_at") var lastBeatAt: Date

    init() {}

    init(node: String, lastBeatAt: Date) {
        self.id = node
        self.lastBeatAt = lastBeatAt
    }
}
