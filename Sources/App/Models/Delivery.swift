import Fluent
import Foundation
import Networks
import TextRules

/// One post on its way to one channel, by invariant 1: `sending` and the keys that make a
/// resend the same post are committed before any network call, and it ends `published` or
/// `failed` with a reason a person can act on.
final class Delivery: Model, @unchecked Sendable {
    static let schema = "deliveries"

    enum State: String, Codable, Sendable, CaseIterable {
        /// Waiting for its time.
        case scheduled
        /// A worker is sending it, or was when it stopped: the network may have it already.
        case sending
        case published
        /// Failed for now (the network was down or busy); tried again at `scheduledAt`.
        case retrying
        /// The network did not say whether it took the post (a timeout): looked for, then sent.
        case unknown
        /// Will not be tried again without a person: `error` says why.
        case failed
        case canceled

        /// Still to be published.
        var isPending: Bool { [.scheduled, .retrying, .unknown].contains(self) }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "post_id") var post: Post
    @OptionalParent(key: "channel_id") var channel: Channel?
    @Field(key: "channel_handle") var channelHandle: String
    @Field(key: "network") var network: Network
    @Field(key: "state") var state: State
    @Field(key: "scheduled_at") var scheduledAt: Date
    @Field(key: "attempts") var attempts: Int
    /// Sent with every request as `<key>/<part>`, so a resend is the same post.
    @Field(key: "idempotency_key") var idempotencyKey: String
    /// Microseconds from which each part's Bluesky record key (a TID) is made.
    @Field(key: "record_key_seed") var recordKeySeed: Int64
    /// The parts published so far, in order, as JSON: a thread resumes after the last.
    @Field(key: "published_parts") var publishedPartsJSON: String
    /// When the first attempt began: before it, nothing was sent; after it, the network may
    /// hold parts that Trestle has not heard about, and it is asked before a resend.
    @OptionalField(key: "sending_since") var sendingSince: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "remote_id") var remoteID: String?
    @OptionalField(key: "remote_url") var remoteURL: String?
    @OptionalField(key: "error") var error: String?
    /// Failed because the network refused the credentials; connecting the channel again
    /// resumes it.
    @Field(key: "waiting_for_reconnect") var waitingForReconnect: Bool
    /// The post on the network this one answers (an inbox item), as JSON `ReplyTarget`: its
    /// first part goes out as a reply there.
    @OptionalField(key: "reply_to") var replyToJSON: String?
    /// What publishing the next part kept between its steps (`PartToPublish.checkpoint`): the
    /// part's index, a space, and the network's own value.
    @OptionalField(key: "checkpoint") var checkpoint: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(postID: UUID, channel: Channel, scheduledAt: Date, now: Date) throws {
        self.id = UUID()
        self.$post.id = postID
        self.$channel.id = try channel.requireID()
        self.channelHandle = channel.handle
        self.network = channel.network
        self.state = .scheduled
        self.scheduledAt = scheduledAt
        self.attempts = 0
        self.idempotencyKey = UUID().uuidString.lowercased()
        // A random spread over the second keeps deliveries made at once apart (a record key
        // already taken by another post is refused when publishing, never taken for this one).
        self.recordKeySeed = Int64(now.timeIntervalSince1970 * 1_000_000) + Int64.random(in: 0..<1_000_000)
        self.publishedPartsJSON = "[]"
        self.waitingForReconnect = false
    }

    var publishedParts: [PublishedPart] {
        get { (try? JSONDecoder().decode([PublishedPart].self, from: Data(publishedPartsJSON.utf8))) ?? [] }
        set { publishedPartsJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }

    /// Where the first part goes as a reply, when the delivery answers someone.
    var replyTo: ReplyTarget? {
        get { replyToJSON.flatMap { try? JSONDecoder().decode(ReplyTarget.self, from: Data($0.utf8)) } }
        set { replyToJSON = newValue.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The post an answer replies to, and its conversation's first post.
    struct ReplyTarget: Codable, Sendable {
        var root: PublishedPart
        var parent: PublishedPart
        /// It answers a direct message, so it is one too.
        var isDirect: Bool
    }

    /// Part `index`'s Bluesky record key.
    func recordKey(part index: Int) -> String {
        TID.make(microseconds: UInt64(max(0, recordKeySeed)) + UInt64(index), clockID: UInt16(truncatingIfNeeded: index))
    }
}
