import Fluent

struct M007_CreatePosts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Post.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("text", .string, .required)
            .field("thread", .array(of: .string), .required)
            .field("media", .array(of: .uuid), .required)
            .field("variants", .dictionary(of: .string), .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Post.schema).delete()
    }
}
