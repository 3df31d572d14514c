import Fluent
import SQLKit

/// Conversions, unique per workspace, kind and order id (a sale reported by the script, the API
/// and a CSV counts once), and each workspace's tracking key and attribution window.
struct M027_CreateConversions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Conversion.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("order_id", .string)
            .field("value_milli", .int64)
            .field("currency", .string)
            .field("click_id", .string)
            .field("source", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "workspace_id", "kind", "order_id")
            .create()
        try await database.schema(WorkspaceTracking.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("public_key", .string, .required)
            .field("attribution_days", .int, .required)
            .unique(on: "workspace_id")
            .unique(on: "public_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "conversions_click").on(Conversion.schema).column("click_id").run()
        try await sql.create(index: "conversions_workspace_time").on(Conversion.schema).column("workspace_id").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkspaceTracking.schema).delete()
        try await database.schema(Conversion.schema).delete()
    }
}
