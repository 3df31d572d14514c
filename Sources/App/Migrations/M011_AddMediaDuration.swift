import Fluent

struct M011_AddMediaDuration: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MediaItem.schema)
            .field("duration_seconds", .double)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MediaItem.schema)
            .deleteField("duration_seconds")
            .update()
    }
}
