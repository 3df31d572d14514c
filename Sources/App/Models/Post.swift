import Fluent
import Foundation

/// Something the business wants to say: the text (and, on networks with threads, the parts that
/// follow it), written once and later delivered to channels. Without a schedule it is a draft.
final class Post: Model, @unchecked Sendable {
    static let schema = "posts"

    enum Status: String, Codable, Sendable {
        case draft
        /// It has deliveries: see each one's state.
        case scheduled
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @OptionalParent(key: "author_id") var author: User?
    @Field(key: "status") var status: Status
    /// The first (often the only) part.
    @Field(key: "text") var text: String
    /// The parts after the first, in order, for networks that publish threads.
    @Field(key: "thread") var thread: [String]
    /// Images or video, in the order they are shown.
    @Field(key: "media") var media: [UUID]
    /// Another text for some targets: keyed by a network name (every channel on that network)
    /// or by a channel id.
    @Field(key: "variants") var variants: [String: String]
    /// The inbox item this post answers: an answer is published like any post, but is not
    /// one of the workspace's posts in lists and the calendar.
    @OptionalField(key: "answers_item_id") var answersItemID: UUID?
    /// Its links go out as short links (where the workspace has them on); true unless the post
    /// asks otherwise.
    @Field(key: "shortens_links") var shortensLinks: Bool
    /// Its links' `utm_campaign`; nil: the feed's or library category's name, if it came from one.
    @OptionalField(key: "campaign") var campaign: String?
    /// The idea of the workspace's board this post was drafted from.
    @OptionalField(key: "idea_id") var ideaID: UUID?
    /// Counts up with each edit of what the post says; approvals are of one version.
    @Field(key: "version") var version: Int
    @Siblings(through: PostChannel.self, from: \.$post, to: \.$channel) var channels: [Channel]
    @Children(for: \.$post) var deliveries: [Delivery]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(workspaceID: UUID, authorID: UUID?, text: String, thread: [String]) {
        self.$workspace.id = workspaceID
        self.$author.id = authorID
        self.status = .draft
        self.text = text
        self.thread = thread
        self.media = []
        self.variants = [:]
        self.shortensLinks = true
        self.version = 1
    }
}
