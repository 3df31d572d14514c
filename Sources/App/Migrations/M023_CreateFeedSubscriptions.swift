import Fluent
import SQLKit

/// The feed bridge: a workspace's subscriptions to feeds, and each one's seen items — unique on
/// (subscription, item), so an item becomes a post once even when two polls race.
struct M023_CreateFeedSubscriptions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FeedSubscription.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("created_by_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("url", .string, .required)
            .field("title", .string)
            .field("channel_ids", .string, .required)
            .field("template", .string, .required)
            .field("templates", .string, .required)
            .field("mode", .string, .required)
            .field("poll_minutes", .int, .required)
            .field("etag", .string)
            .field("last_modified", .string)
            .field("next_poll_at", .datetime, .required)
            .field("last_polled_at", .datetime)
            .field("last_error", .string)
            .field("failures", .int, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(FeedSeenItem.schema)
            .id()
            .field("subscription_id", .uuid, .required, .references(FeedSubscription.schema, "id", onDelete: .cascade))
            .field("item_key", .string, .required)
            .field("link_key", .string)
            .field("post_id", .uuid)
            .field("seen_at", .datetime, .required)
            .unique(on: "subscription_id", "item_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "feed_subscriptions_workspace").on(FeedSubscription.schema).column("workspace_id").run()
        try await sql.create(index: "feed_seen_items_link").on(FeedSeenItem.schema).column("subscription_id").column("link_key").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FeedSeenItem.schema).delete()
        try await database.schema(FeedSubscription.schema).delete()
    }
}
