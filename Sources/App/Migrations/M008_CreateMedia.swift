import Fluent

struct M008_CreateMedia: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MediaItem.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("uploader_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("format", .string, .required)
            .field("byte_count", .int, .required)
            .field("width", .int)
            .field("height", .int)
            .field("alt_text", .string, .required)
            .field("filename", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(MediaContent.schema)
            .id()
            .field("bytes", .data, .required)
            .foreignKey("id", references: MediaItem.schema, "id", onDelete: .cascade)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MediaContent.schema).delete()
        try await database.schema(MediaItem.schema).delete()
    }
}
