import Fluent
import SQLKit

/// Where each channel's reading of its network's counts stands (the next run, the day its
/// followers are read next, how often in a row it failed), and how often in a row a delivery's
/// own reading failed, so a post a network cannot answer for is asked less and less often.
struct M029_CreateMetricsReaders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MetricsReaderState.schema)
            .id()
            .field("channel_id", .uuid, .required, .references(Channel.schema, "id", onDelete: .cascade))
            .field("next_run_at", .datetime, .required)
            .field("followers_due_at", .datetime, .required)
            .field("last_run_at", .datetime)
            .field("last_error", .string)
            .field("failures", .int, .required, .sql(.default(0)))
            .unique(on: "channel_id")
            .create()
        try await database.schema(DeliveryMetrics.schema).field("failures", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DeliveryMetrics.schema).deleteField("failures").update()
        try await database.schema(MetricsReaderState.schema).delete()
    }
}
