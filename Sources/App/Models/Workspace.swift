import Fluent
import Foundation

/// A business's shared space: its channels, posts and members all belong to one workspace.
final class Workspace: Model, @unchecked Sendable {
    static let schema = "workspaces"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// Approvals from members other than the author a post needs before it is scheduled.
    @Field(key: "approvals_required") var approvalsRequired: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, name: String) {
        self.id = id
        self.name = name
        self.approvalsRequired = 0
    }
}
