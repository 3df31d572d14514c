import Fluent

struct M002_CreateWorkspaces: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Workspace.schema)
            .id()
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(Membership.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "workspace_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Membership.schema).delete()
        try await database.schema(Workspace.schema).delete()
    }
}
