import Fluent
import SQLKit

/// The job runner's queue: one row per piece of background work until it is done.
struct M014_CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JobQueue.table)
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("run_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("lease_owner", .string)
            .field("lease_expires_at", .datetime)
            .field("last_error", .string)
            .field("failed_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        // Claiming looks for a kind's due jobs in run-at order.
        try await (database as! any SQLDatabase)
            .create(index: "jobs_kind_run_at")
            .on(JobQueue.table)
            .column("kind").column("run_at")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobQueue.table).delete()
    }
}
