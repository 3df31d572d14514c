import Fluent
import SQLKit

/// Peer approval: how many approvals a workspace asks for before a post is scheduled (none by
/// default), each post's version (edits of what it says count up), and who approved which
/// version — once per member and version, however often two of them press at once.
struct M031_CreatePostApprovals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Workspace.schema).field("approvals_required", .int, .required, .sql(.default(0))).update()
        try await database.schema(Post.schema).field("version", .int, .required, .sql(.default(1))).update()
        try await database.schema(PostApproval.schema)
            .id()
            .field("post_id", .uuid, .required, .references(Post.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "post_id", "user_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PostApproval.schema).delete()
        try await database.schema(Post.schema).deleteField("version").update()
        try await database.schema(Workspace.schema).deleteField("approvals_required").update()
    }
}
