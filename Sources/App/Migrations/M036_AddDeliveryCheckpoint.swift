import Fluent

/// What a network's publishing keeps between two steps of one part (Instagram's and Threads'
/// media container), so a retry or a worker that takes over resumes from it, not from scratch.
struct M036_AddDeliveryCheckpoint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Delivery.schema).field("checkpoint", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Delivery.schema).deleteField("checkpoint").update()
    }
}
