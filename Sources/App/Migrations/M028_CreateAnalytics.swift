import Fluent
import SQLKit

/// What the networks count for each published delivery (read again on a schedule that slows as
/// the post ages), each channel's followers per day, and the switches for short links: on by
/// default for a workspace, off for a post that asks, with the post's own campaign name.
struct M028_CreateAnalytics: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delivery_metrics")
            .field("delivery_id", .uuid, .identifier(auto: false), .references(Delivery.schema, "id", onDelete: .cascade))
            .field("likes", .int64)
            .field("reposts", .int64)
            .field("replies", .int64)
            .field("quotes", .int64)
            .field("impressions", .int64)
            .field("read_at", .datetime)
            .field("next_read_at", .datetime)
            .field("reads", .int, .required, .sql(.default(0)))
            .field("last_error", .string)
            .create()
        try await database.schema("channel_followers")
            .field("channel_id", .uuid, .required, .references(Channel.schema, "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("followers", .int64, .required)
            .unique(on: "channel_id", "day")
            .create()
        try await database.schema(WorkspaceTracking.schema).field("shortens_links", .bool, .required, .sql(.default(true))).update()
        try await database.schema(Post.schema).field("shortens_links", .bool, .required, .sql(.default(true))).update()
        try await database.schema(Post.schema).field("campaign", .string).update()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "delivery_metrics_due").on("delivery_metrics").column("next_read_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Post.schema).deleteField("campaign").update()
        try await database.schema(Post.schema).deleteField("shortens_links").update()
        try await database.schema(WorkspaceTracking.schema).deleteField("shortens_links").update()
        try await database.schema("channel_followers").delete()
        try await database.schema("delivery_metrics").delete()
    }
}
