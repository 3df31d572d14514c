import Fluent
import SQLKit

/// Site channels: every address ever handed out, unique; and a site's page reads its published
/// deliveries newest first (keyset-paged) and one entry by its id, each from an index.
struct M019_CreateSiteSlugs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReservedSlug.schema)
            .id()
            .field("slug", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "slug")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "deliveries_channel_state_published")
            .on(Delivery.schema).column("channel_id").column("state").column("published_at").column("id").run()
        try await sql.create(index: "deliveries_channel_remote").on(Delivery.schema).column("channel_id").column("remote_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "deliveries_channel_remote").run()
        try await sql.drop(index: "deliveries_channel_state_published").run()
        try await database.schema(ReservedSlug.schema).delete()
    }
}
