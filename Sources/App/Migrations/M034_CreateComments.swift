import Fluent
import SQLKit

/// Comments on posts and ideas, the notifications they make, and whether a person wants them
/// by email too.
struct M034_CreateComments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Comment.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("post_id", .uuid, .references(Post.schema, "id", onDelete: .cascade))
            .field("idea_id", .uuid, .references(Idea.schema, "id", onDelete: .cascade))
            .field("text", .string, .required)
            .field("requests_changes", .bool, .required, .sql(.default(false)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(MemberNotification.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("activity_id", .uuid, .required, .references(Activity.schema, "id", onDelete: .cascade))
            .field("read_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "activity_id")
            .create()
        try await database.schema(NotificationSettings.schema)
            .field("user_id", .uuid, .identifier(auto: false), .references(User.schema, "id", onDelete: .cascade))
            .field("by_email", .bool, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "comments_by_post").on(Comment.schema).column("post_id").run()
        try await sql.create(index: "comments_by_idea").on(Comment.schema).column("idea_id").run()
        try await sql.create(index: "notifications_by_user").on(MemberNotification.schema).column("user_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationSettings.schema).delete()
        try await database.schema(MemberNotification.schema).delete()
        try await database.schema(Comment.schema).delete()
    }
}
