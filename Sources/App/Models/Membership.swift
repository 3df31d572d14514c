import Fluent
import Foundation

/// A user's place in a workspace. Members are peers; the owner alone may remove members and
/// delete the workspace.
final class Membership: Model, @unchecked Sendable {
    static let schema = "memberships"

    enum Role: String, Codable, Sendable {
        case owner
        case member
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "user_id") var user: User
    @Field(key: "role") var role: Role
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, workspaceID: UUID, userID: UUID, role: Role) {
        self.id = id
        self.$workspace.id = workspaceID
        self.$user.id = userID
        self.role = role
    }
}
