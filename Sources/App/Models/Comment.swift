import Fluent
import Foundation

/// A member's comment on a post (a draft or a scheduled one) or an idea, perhaps asking the
/// author for changes, perhaps mentioning other members by `@name`.
final class Comment: Model, @unchecked Sendable {
    static let schema = "comments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    /// Nil once its author left Trestle.
    @OptionalParent(key: "author_id") var author: User?
    /// What it is on: a post or an idea, exactly one.
    @OptionalField(key: "post_id") var postID: UUID?
    @OptionalField(key: "idea_id") var ideaID: UUID?
    @Field(key: "text") var text: String
    /// It asks the post's author for changes before the post goes out.
    @Field(key: "requests_changes") var requestsChanges: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
