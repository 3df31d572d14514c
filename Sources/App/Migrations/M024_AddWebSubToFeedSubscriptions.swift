import Fluent

/// WebSub for the feed bridge: the hub and topic a subscription asked to be pushed, its secret
/// (sealed), when the lease ends and when it was last asked for.
struct M024_AddWebSubToFeedSubscriptions: AsyncMigration {
    private static let fields: [(String, DatabaseSchema.DataType)] = [
        ("hub_url", .string), ("topic_url", .string), ("websub_secret", .data), ("websub_requested_at", .datetime), ("websub_expires_at", .datetime),
    ]

    // One column per statement: SQLite adds only one at a time.
    func prepare(on database: any Database) async throws {
        for (name, type) in Self.fields {
            try await database.schema(FeedSubscription.schema).field(.init(stringLiteral: name), type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.fields.reversed() {
            try await database.schema(FeedSubscription.schema).deleteField(.init(stringLiteral: name)).update()
        }
    }
}
