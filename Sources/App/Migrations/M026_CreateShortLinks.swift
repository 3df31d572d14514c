import Fluent
import SQLKit

/// Short links and their clicks. A click keeps no address: only whether it came from a person
/// or a fetcher, and a hash of the visitor under a salt that is thrown away after its day.
struct M026_CreateShortLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ShortLink.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("url", .string, .required)
            .field("source", .string)
            .field("campaign", .string)
            .field("delivery_id", .uuid)
            .field("post_id", .uuid)
            .field("channel_id", .uuid)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("link_clicks")
            .field("id", .string, .identifier(auto: false))
            .field("link_id", .uuid, .required, .references(ShortLink.schema, "id", onDelete: .cascade))
            .field("clicked_at", .datetime, .required)
            .field("by_fetcher", .bool, .required)
            .field("visitor", .string, .required)
            .field("referrer", .string)
            .field("country", .string)
            .create()
        try await database.schema("visitor_salts")
            .field("day", .string, .identifier(auto: false))
            .field("salt", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "short_links_workspace").on(ShortLink.schema).column("workspace_id").column("created_at").run()
        try await sql.create(index: "short_links_delivery").on(ShortLink.schema).column("delivery_id").run()
        try await sql.create(index: "link_clicks_link").on("link_clicks").column("link_id").column("clicked_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("visitor_salts").delete()
        try await database.schema("link_clicks").delete()
        try await database.schema(ShortLink.schema).delete()
    }
}
