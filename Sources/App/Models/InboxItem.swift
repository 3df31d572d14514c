import Fluent
import Foundation
import Networks
import TextRules

/// Something a person said to the business on one of its channels — a reply, a mention, a
/// quote or a direct message — for a member to take, answer and mark done. It belongs to the
/// workspace of its channel and outlives the channel, read-only, until the workspace deletes it.
final class InboxItem: Model, @unchecked Sendable {
    static let schema = "inbox_items"

    enum State: String, Codable, Sendable, CaseIterable {
        case open
        case done
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    /// Nil once the channel is disconnected: the item is kept, read-only.
    @OptionalParent(key: "channel_id") var channel: Channel?
    @Field(key: "channel_handle") var channelHandle: String
    @Field(key: "network") var network: Network
    /// `<channel id>:<remote id>`, unique: an item is kept once however often it is read.
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "kind") var kind: InboxMessage.Kind
    /// A direct message: shown to the workspace's members only, never in anything public.
    @Field(key: "private") var isPrivate: Bool
    @Field(key: "remote_id") var remoteID: String
    @OptionalField(key: "remote_cid") var remoteCID: String?
    @OptionalField(key: "remote_url") var remoteURL: String?
    @OptionalField(key: "in_reply_to_remote_id") var inReplyToRemoteID: String?
    /// The conversation's first post, where a reply must name it (Bluesky), as JSON.
    @OptionalField(key: "root") var rootJSON: String?
    /// The delivery of ours it answers or quotes, when Trestle published it.
    @OptionalField(key: "delivery_id") var deliveryID: UUID?
    @OptionalField(key: "post_id") var postID: UUID?
    @Field(key: "author_name") var authorName: String
    @Field(key: "author_handle") var authorHandle: String
    @OptionalField(key: "author_avatar_url") var authorAvatarURL: String?
    @OptionalField(key: "author_url") var authorURL: String?
    @Field(key: "text") var text: String
    /// Safe HTML (see `SafeHTML`): the text with its links, mentions and tags.
    @Field(key: "html") var html: String
    /// When the person said it, as the network says.
    @Field(key: "said_at") var saidAt: Date
    /// When Trestle heard it.
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "state") var state: State
    @OptionalParent(key: "assignee_id") var assignee: User?
    /// When a member first opened it; unread until then.
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    var root: PublishedPart? {
        rootJSON.flatMap { try? JSONDecoder().decode(PublishedPart.self, from: Data($0.utf8)) }
    }

    /// Whether it can still be worked: its channel is connected.
    var isReadOnly: Bool { $channel.id == nil }
}

/// Where a channel's inbox reading stands: the network's cursor, stored with what was read up
/// to it, and when it is read next.
final class InboxReaderState: Model, @unchecked Sendable {
    static let schema = "inbox_readers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "channel_id") var channel: Channel
    /// Opaque to Trestle: the network reader's own.
    @OptionalField(key: "cursor") var cursor: String?
    @Field(key: "next_poll_at") var nextPollAt: Date
    @OptionalField(key: "last_polled_at") var lastPolledAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "failures") var failures: Int
    /// When the push connection (Mastodon's streaming API) last delivered or connected; nil
    /// when the network has none or it is down.
    @OptionalField(key: "streaming_since") var streamingSince: Date?

    init() {}

    init(channelID: UUID, nextPollAt: Date) {
        self.$channel.id = channelID
        self.nextPollAt = nextPollAt
        self.failures = 0
    }
}

/// An answer a team gives often, kept to be put in a reply with one click.
final class SavedReply: Model, @unchecked Sendable {
    static let schema = "saved_replies"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(workspaceID: UUID, title: String, text: String) {
        self.$workspace.id = workspaceID
        self.title = title
        self.text = text
    }
}
