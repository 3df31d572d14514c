import Fluent
import SQLKit

/// The evergreen library: categories with their rules, items, each time an item filled a slot
/// (unique per channel and instant, so filling twice fills once), and the workspace's pause.
struct M020_CreateLibrary: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LibraryCategory.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("min_days_between", .int, .required)
            .field("max_repeats", .int)
            .field("expires_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await database.schema(LibraryItem.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("category_id", .uuid, .required, .references(LibraryCategory.schema, "id", onDelete: .cascade))
            .field("text", .string, .required)
            .field("variants", .array(of: .string), .required)
            .field("media", .array(of: .uuid), .required)
            .field("min_days_between", .int)
            .field("max_repeats", .int)
            .field("expires_at", .datetime)
            .field("rotation_index", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(LibraryFill.schema)
            .id()
            .field("item_id", .uuid, .required, .references(LibraryItem.schema, "id", onDelete: .cascade))
            .field("channel_id", .uuid, .required, .references(Channel.schema, "id", onDelete: .cascade))
            // A person deleting the post skips the slot; the row stays to say so.
            .field("post_id", .uuid, .references(Post.schema, "id", onDelete: .setNull))
            .field("slot_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "channel_id", "slot_at")
            .create()
        try await database.schema(LibrarySettings.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("paused", .bool, .required)
            .unique(on: "workspace_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "library_items_category").on(LibraryItem.schema).column("category_id").run()
        try await sql.create(index: "library_fills_item_channel").on(LibraryFill.schema).column("item_id").column("channel_id").column("slot_at").run()
        try await sql.create(index: "library_fills_post").on(LibraryFill.schema).column("post_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LibrarySettings.schema).delete()
        try await database.schema(LibraryFill.schema).delete()
        try await database.schema(LibraryItem.schema).delete()
        try await database.schema(LibraryCategory.schema).delete()
    }
}
