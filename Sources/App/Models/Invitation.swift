import Fluent
import Foundation

/// A single-use link that lets one person join a workspace before it expires.
final class Invitation: Model, @unchecked Sendable {
    static let schema = "invitations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "created_by") var createdBy: User
    /// SHA-256 of the secret in the link; the link itself is shown once and never stored.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @OptionalParent(key: "accepted_by") var acceptedBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, workspaceID: UUID, createdByID: UUID, tokenHash: String, expiresAt: Date) {
        self.id = id
        self.$workspace.id = workspaceID
        self.$createdBy.id = createdByID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}
