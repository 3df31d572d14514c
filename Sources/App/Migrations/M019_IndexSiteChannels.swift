import Fluent
import SQLKit

/// Site channels: a slug is unique across the installation, and a site's page reads its
/// published deliveries newest first (keyset-paged) and one entry by its id, each from an index.
struct M019_IndexSiteChannels: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // A partial index: other networks' remote ids may repeat across workspaces.
        try await sql.raw("CREATE UNIQUE INDEX channels_site_slug ON channels (remote_id) WHERE network = 'site'").run()
        try await sql.create(index: "deliveries_channel_state_published")
            .on(Delivery.schema).column("channel_id").column("state").column("published_at").column("id").run()
        try await sql.create(index: "deliveries_channel_remote").on(Delivery.schema).column("channel_id").column("remote_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "deliveries_channel_remote").run()
        try await sql.drop(index: "deliveries_channel_state_published").run()
        try await sql.drop(index: "channels_site_slug").run()
    }
}
