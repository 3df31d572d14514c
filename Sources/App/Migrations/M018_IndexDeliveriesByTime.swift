import Fluent
import SQLKit

/// The calendar reads a workspace's deliveries by time range.
struct M018_IndexDeliveriesByTime: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "deliveries_scheduled_at").on(Delivery.schema).column("scheduled_at").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "deliveries_scheduled_at").run()
    }
}
