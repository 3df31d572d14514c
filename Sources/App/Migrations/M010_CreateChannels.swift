import Fluent

struct M010_CreateChannels: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Channel.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("network", .string, .required)
            .field("account_name", .string, .required)
            .field("custom_name", .string)
            .field("handle", .string, .required)
            .field("remote_id", .string, .required)
            .field("server_url", .string, .required)
            .field("status", .string, .required)
            .field("timezone", .string, .required)
            .field("sealed_credentials", .data, .required)
            .field("text_limit", .int)
            .field("characters_reserved_per_url", .int)
            .field("checked_at", .datetime)
            .field("problem", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            // One account once per workspace: connecting it again refreshes the same channel.
            .unique(on: "workspace_id", "network", "server_url", "remote_id")
            .create()
        try await database.schema(PostChannel.schema)
            .id()
            .field("post_id", .uuid, .required, .references(Post.schema, "id", onDelete: .cascade))
            .field("channel_id", .uuid, .required, .references(Channel.schema, "id", onDelete: .cascade))
            .unique(on: "post_id", "channel_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PostChannel.schema).delete()
        try await database.schema(Channel.schema).delete()
    }
}
