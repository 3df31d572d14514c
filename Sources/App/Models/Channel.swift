import Fluent
import Foundation
import TextRules

/// A workspace's account on a network, where its posts are published: a Mastodon account on
/// an instance, a Bluesky account on a service.
final class Channel: Model, @unchecked Sendable {
    static let schema = "channels"

    enum Status: String, Codable, Sendable {
        /// The credentials worked when last used.
        case active
        /// The network refused the credentials: someone must connect the account again.
        case needsReconnect = "needs_reconnect"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Field(key: "network") var network: Network
    /// The account's display name (or its handle when it has none), as the network last said.
    @Field(key: "account_name") var accountName: String
    /// The name the workspace gave the channel, which connecting again keeps.
    @OptionalField(key: "custom_name") var customName: String?
    /// `@user@instance` on Mastodon, `user.bsky.social` on Bluesky.
    @Field(key: "handle") var handle: String
    /// The network's id of the account (Mastodon account id, Bluesky DID).
    @Field(key: "remote_id") var remoteID: String
    /// The instance or service the account lives on.
    @Field(key: "server_url") var serverURL: String
    @Field(key: "status") var status: Status
    /// IANA zone the channel's posting slots are in.
    @Field(key: "timezone") var timezone: String
    /// `NetworkCredentials`, sealed by `CredentialSealer`; never returned, never logged.
    @Field(key: "sealed_credentials") var sealedCredentials: Data
    /// The instance's own limit and link reservation (Mastodon), read when connecting.
    @OptionalField(key: "text_limit") var textLimit: Int?
    @OptionalField(key: "characters_reserved_per_url") var charactersReservedPerURL: Int?
    /// When the network last confirmed (or refused) the credentials.
    @OptionalField(key: "checked_at") var checkedAt: Date?
    /// Why the channel needs reconnecting, in the network's words.
    @OptionalField(key: "problem") var problem: String?
    /// The channel's regular times to post, local to `timezone`, as JSON.
    @Field(key: "posting_slots") var postingSlotsJSON: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// What Trestle calls the channel: the workspace's name for it, else the account's.
    var name: String { customName ?? accountName }

    init() {}

    init(id: UUID, workspaceID: UUID, network: Network, name: String, handle: String, remoteID: String, serverURL: String, timezone: String) {
        self.id = id
        self.$workspace.id = workspaceID
        self.network = network
        self.accountName = name
        self.handle = handle
        self.remoteID = remoteID
        self.serverURL = serverURL
        self.status = .active
        self.timezone = timezone
        self.sealedCredentials = Data()
        self.postingSlotsJSON = "[]"
    }

    var postingSlots: [PostingSlot] {
        get { (try? JSONDecoder().decode([PostingSlot].self, from: Data(postingSlotsJSON.utf8))) ?? [] }
        set { postingSlotsJSON = String(decoding: (try? JSONEncoder().encode(newValue.sorted())) ?? Data("[]".utf8), as: UTF8.self) }
    }

    /// The slots laid out on the channel's own calendar.
    var postingSchedule: PostingSchedule {
        PostingSchedule(slots: postingSlots, zone: TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!)
    }

    /// The slots the queue fills: those not bound to a library category, which are the library's.
    var queueSchedule: PostingSchedule {
        PostingSchedule(slots: postingSlots.filter { $0.category == nil }, zone: TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!)
    }
}

/// Which channels a post goes to. Deleting either side removes the link.
final class PostChannel: Model, @unchecked Sendable {
    static let schema = "post_channels"

    @ID(key: .id) var id: UUID?
    @Parent(key: "post_id") var post: Post
    @Parent(key: "channel_id") var channel: Channel

    init() {}
}
