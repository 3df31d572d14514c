import Fluent
import Foundation

/// Something a member thinks the business could post about: a line, and perhaps a note, a link
/// and an image. It sits in one of the workspace's columns until it becomes a draft.
final class Idea: Model, @unchecked Sendable {
    static let schema = "ideas"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    /// Nil once its author left Trestle; the idea stays the workspace's.
    @OptionalParent(key: "author_id") var author: User?
    @Parent(key: "column_id") var column: IdeaColumn
    @Field(key: "title") var title: String
    @Field(key: "note") var note: String
    /// An http(s) address the idea is about.
    @OptionalField(key: "link") var link: String?
    /// An image of the workspace's media.
    @OptionalField(key: "image_id") var imageID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// One member's vote for an idea: at most one each, and everyone sees who voted.
final class IdeaVote: Model, @unchecked Sendable {
    static let schema = "idea_votes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "idea_id") var idea: Idea
    @Parent(key: "user_id") var user: User
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
