import Fluent

struct M006_CreateWorkerHeartbeats: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorkerHeartbeat.schema)
            .field("node", .string, .identifier(auto: false))
            .field("last_beat_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkerHeartbeat.schema).delete()
    }
}
