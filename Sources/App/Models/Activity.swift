import Fluent
import Foundation

/// One thing that happened in a workspace — who did what, to which post, and when — for the
/// activity feed, kept for a year.
final class Activity: Model, @unchecked Sendable {
    static let schema = "activities"

    enum Action: String, Codable, Sendable, CaseIterable {
        case drafted, edited, approved, scheduled, published, failed, answered, connected, commented
        case requestedChanges = "requested_changes"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    /// Who did it; nil for Trestle's own doing (publishing, the feed bridge) or a member who has
    /// since left Trestle.
    @OptionalParent(key: "actor_id") var actor: User?
    @Field(key: "action") var action: Action
    /// The post it was about, while the post exists.
    @OptionalField(key: "post_id") var postID: UUID?
    /// What it was about, in words that outlive the post or channel: an excerpt, a handle, a reason.
    @Field(key: "summary") var summary: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
