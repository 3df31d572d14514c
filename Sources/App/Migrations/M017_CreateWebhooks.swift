import Fluent
import SQLKit

/// Outgoing webhooks per workspace, and the log of their recent attempts.
struct M017_CreateWebhooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Webhook.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("events", .string, .required)
            .field("sealed_secret", .data, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(WebhookAttempt.schema)
            .id()
            .field("webhook_id", .uuid, .required, .references(Webhook.schema, "id", onDelete: .cascade))
            .field("event_id", .uuid, .required)
            .field("event_type", .string, .required)
            .field("attempt", .int, .required)
            .field("status_code", .int)
            .field("error", .string)
            .field("attempted_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "webhooks_workspace").on(Webhook.schema).column("workspace_id").run()
        try await sql.create(index: "webhook_attempts_webhook_time").on(WebhookAttempt.schema).column("webhook_id").column("attempted_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookAttempt.schema).delete()
        try await database.schema(Webhook.schema).delete()
    }
}
