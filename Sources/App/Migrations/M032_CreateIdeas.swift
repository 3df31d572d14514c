import Fluent
import SQLKit

/// The ideas board: columns a workspace names, ideas in them, one vote per member and idea,
/// and the idea a draft was made from.
struct M032_CreateIdeas: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IdeaColumn.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("position", .int, .required)
            .unique(on: "workspace_id", "name_key")
            .create()
        try await database.schema(Idea.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("column_id", .uuid, .required, .references(IdeaColumn.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("note", .string, .required)
            .field("link", .string)
            .field("image_id", .uuid, .references(MediaItem.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(IdeaVote.schema)
            .id()
            .field("idea_id", .uuid, .required, .references(Idea.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("created_at", .datetime)
            .unique(on: "idea_id", "user_id")
            .create()
        try await database.schema(Post.schema)
            .field("idea_id", .uuid)
            .update()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ideas_by_workspace").on(Idea.schema).column("workspace_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Post.schema).deleteField("idea_id").update()
        try await database.schema(IdeaVote.schema).delete()
        try await database.schema(Idea.schema).delete()
        try await database.schema(IdeaColumn.schema).delete()
    }
}
