import Fluent
import SQLKit

/// Deliveries (one per post × channel) and each channel's posting slots.
struct M015_CreateDeliveries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Delivery.schema)
            .id()
            .field("post_id", .uuid, .required, .references(Post.schema, "id", onDelete: .cascade))
            // A channel disconnected later leaves its deliveries, with the handle they went to.
            .field("channel_id", .uuid, .references(Channel.schema, "id", onDelete: .setNull))
            .field("channel_handle", .string, .required)
            .field("network", .string, .required)
            .field("state", .string, .required)
            .field("scheduled_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("idempotency_key", .string, .required)
            .field("record_key_seed", .int64, .required)
            .field("published_parts", .string, .required)
            .field("sending_since", .datetime)
            .field("published_at", .datetime)
            .field("remote_id", .string)
            .field("remote_url", .string)
            .field("error", .string)
            .field("waiting_for_reconnect", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "post_id", "channel_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "deliveries_channel_scheduled").on(Delivery.schema).column("channel_id").column("scheduled_at").run()
        try await sql.create(index: "deliveries_state_scheduled").on(Delivery.schema).column("state").column("scheduled_at").run()
        try await database.schema(Channel.schema).field("posting_slots", .string, .required, .sql(.default("[]"))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Channel.schema).deleteField("posting_slots").update()
        try await database.schema(Delivery.schema).delete()
    }
}
