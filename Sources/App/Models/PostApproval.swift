import Fluent
import Foundation

/// A member's approval of one version of a post: an edit of what the post says makes a new
/// version, which asks again.
final class PostApproval: Model, @unchecked Sendable {
    static let schema = "post_approvals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "post_id") var post: Post
    @Parent(key: "user_id") var user: User
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
