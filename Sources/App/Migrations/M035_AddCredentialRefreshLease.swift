import Fluent
import SQLKit

/// A lease on renewing a channel's credentials: a network that spends a refresh token on its
/// first use (X) must never see two workers refresh the same channel at once.
struct M035_AddCredentialRefreshLease: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Channel.schema).field("credentials_refreshing_until", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Channel.schema).deleteField("credentials_refreshing_until").update()
    }
}
