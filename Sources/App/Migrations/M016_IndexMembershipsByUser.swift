import Fluent
import SQLKit

/// `/me` and every page's workspace menu look up a user's memberships by `user_id` alone; the
/// unique index on (workspace_id, user_id) cannot serve that, so without this index each of
/// those requests would read the whole table.
struct M016_IndexMembershipsByUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "memberships_user_id").on(Membership.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "memberships_user_id").run()
    }
}
