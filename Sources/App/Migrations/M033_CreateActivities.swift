import Fluent
import SQLKit

/// The activity feed: one row per thing done, read newest first per workspace or per post.
struct M033_CreateActivities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Activity.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("actor_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("action", .string, .required)
            .field("post_id", .uuid)
            .field("summary", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "activities_by_workspace").on(Activity.schema).column("workspace_id").column("created_at").run()
        try await sql.create(index: "activities_by_post").on(Activity.schema).column("post_id").column("created_at").run()
        try await sql.create(index: "activities_by_age").on(Activity.schema).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Activity.schema).delete()
    }
}
