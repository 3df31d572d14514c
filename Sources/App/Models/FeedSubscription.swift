import Fluent
import Foundation

/// A workspace's subscription to someone's feed: new items become posts on its channels from a
/// template, as drafts for review or straight into each channel's queue.
final class FeedSubscription: Model, @unchecked Sendable {
    static let schema = "feed_subscriptions"

    enum Mode: String, Codable, Sendable, CaseIterable {
        /// A draft post for people to review.
        case draft
        /// Scheduled into each channel's next free posting slot.
        case queue
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    /// Who subscribed: the author of the posts it makes.
    @OptionalParent(key: "created_by_id") var createdBy: User?
    @Field(key: "url") var url: String
    /// The feed's own title, as last read.
    @OptionalField(key: "title") var title: String?
    /// Lower-cased channel ids, comma-separated, in the order chosen.
    @Field(key: "channel_ids") var channelList: String
    @Field(key: "template") var template: String
    /// JSON object: channel id → its own template, overriding `template`.
    @Field(key: "templates") var templatesJSON: String
    @Field(key: "mode") var mode: Mode
    @Field(key: "poll_minutes") var pollMinutes: Int
    /// Validators of the version last read, for the next conditional GET.
    @OptionalField(key: "etag") var etag: String?
    @OptionalField(key: "last_modified") var lastModified: String?
    @Field(key: "next_poll_at") var nextPollAt: Date
    @OptionalField(key: "last_polled_at") var lastPolledAt: Date?
    /// Why the last poll failed, in words a person can act on; nil after a good one.
    @OptionalField(key: "last_error") var lastError: String?
    /// Polls failed in a row: the backoff grows with them.
    @Field(key: "failures") var failures: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// The WebSub hub asked to push this feed, and the topic asked for; nil without one.
    @OptionalField(key: "hub_url") var hubURL: String?
    @OptionalField(key: "topic_url") var topicURL: String?
    /// The secret the hub signs pushes with, sealed for this row (AES-GCM).
    @OptionalField(key: "websub_secret") var sealedWebSubSecret: Data?
    @OptionalField(key: "websub_requested_at") var webSubRequestedAt: Date?
    /// When the hub's verified lease ends; nil until the hub verified the subscription.
    @OptionalField(key: "websub_expires_at") var webSubExpiresAt: Date?

    init() {}

    init(id: UUID, workspaceID: UUID, createdBy: UUID?, url: String, title: String?, channels: [UUID], template: String,
         templates: [String: String], mode: Mode, pollMinutes: Int, nextPollAt: Date) {
        self.id = id
        self.$workspace.id = workspaceID
        self.$createdBy.id = createdBy
        self.url = url
        self.title = title
        self.channelIDs = channels
        self.template = template
        self.templates = templates
        self.mode = mode
        self.pollMinutes = pollMinutes
        self.nextPollAt = nextPollAt
        self.failures = 0
    }

    var channelIDs: [UUID] {
        get { channelList.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }
        set { channelList = newValue.map { $0.uuidString.lowercased() }.joined(separator: ",") }
    }

    var templates: [String: String] {
        get { (try? JSONDecoder().decode([String: String].self, from: Data(templatesJSON.utf8))) ?? [:] }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            templatesJSON = String(decoding: (try? encoder.encode(newValue)) ?? Data("{}".utf8), as: UTF8.self)
        }
    }

    /// The template a channel's posts are written from.
    func template(for channelID: UUID) -> String {
        templates[channelID.uuidString.lowercased()] ?? template
    }
}

/// An item of a subscribed feed that Trestle has seen (and posted, or passed over as part of
/// the back catalogue). Keys are SHA-256 hex digests, so any id a feed gives fits the index.
final class FeedSeenItem: Model, @unchecked Sendable {
    static let schema = "feed_seen_items"

    @ID(key: .id) var id: UUID?
    @Parent(key: "subscription_id") var subscription: FeedSubscription
    /// The item's id, hashed.
    @Field(key: "item_key") var itemKey: String
    /// The item's link, normalised and hashed: the same article under a new id is not new.
    @OptionalField(key: "link_key") var linkKey: String?
    /// The post it became; nil for the back catalogue.
    @OptionalField(key: "post_id") var postID: UUID?
    @Field(key: "seen_at") var seenAt: Date

    init() {}

    init(subscriptionID: UUID, itemKey: String, linkKey: String?, postID: UUID?, at: Date) {
        self.id = UUID()
        self.$subscription.id = subscriptionID
        self.itemKey = itemKey
        self.linkKey = linkKey
        self.postID = postID
        self.seenAt = at
    }
}
