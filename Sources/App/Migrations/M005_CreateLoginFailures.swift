import Fluent
import SQLKit

struct M005_CreateLoginFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginFailure.schema)
            .id()
            .field("subject", .string, .required)
            .field("occurred_at", .datetime, .required)
            .create()
        // Every sign-in counts recent failures for its account and address.
        try await (database as! any SQLDatabase)
            .create(index: "login_failures_subject_time")
            .on(LoginFailure.schema)
            .column("subject").column("occurred_at")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginFailure.schema).delete()
    }
}
