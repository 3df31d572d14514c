import Fluent
import SQLKit

/// The worker's clean-up deletes expired sessions and old sign-in attempts by time; without an
/// index each clean-up would read the whole table.
struct M013_IndexExpiringRows: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "web_sessions_expires_at").on(WebSession.schema).column("expires_at").run()
        try await sql.create(index: "login_failures_occurred_at").on(LoginFailure.schema).column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "web_sessions_expires_at").run()
        try await sql.drop(index: "login_failures_occurred_at").run()
    }
}
