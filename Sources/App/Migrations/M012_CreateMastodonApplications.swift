import Fluent

struct M012_CreateMastodonApplications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MastodonApplication.schema)
            .id()
            .field("instance_url", .string, .required)
            .field("redirect_uri", .string, .required)
            .field("sealed_credentials", .data, .required)
            .field("created_at", .datetime)
            .unique(on: "instance_url", "redirect_uri")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MastodonApplication.schema).delete()
    }
}
