import Foundation
import Vapor

/// `{"text", "thread", "channels", "variants": {channelId: {"text"}}, "schedule"}`.
struct PostRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "thread", "channels", "variants", "media", "schedule", "shortenLinks", "campaign"]

    struct Variant: Decodable, Sendable {
        var text: String
    }

    /// `{"at": instant} | {"queue": true} | {"now": true}`: exactly one of them.
    struct Schedule: Decodable, Sendable {
        var at: Date?
        var queue: Bool?
        var now: Bool?

        var when: DeliveryService.When? {
            switch (at, queue ?? false, now ?? false) {
            case let (at?, false, false): .at(at)
            case (nil, true, false): .queue
            case (nil, false, true): .now
            default: nil
            }
        }
    }

    var text: String?
    var thread: [String]?
    var channels: [String]?
    var variants: [String: Variant]?
    /// Ids of uploaded images or videos, in the order they are shown.
    var media: [UUID]?
    var schedule: Schedule?
    var shortenLinks: Bool?
    /// Left out: unchanged; `null`: none.
    var campaign: String??

    private enum CodingKeys: String, CodingKey {
        case text, thread, channels, variants, media, schedule, shortenLinks, campaign
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        thread = try container.decodeIfPresent([String].self, forKey: .thread)
        channels = try container.decodeIfPresent([String].self, forKey: .channels)
        variants = try container.decodeIfPresent([String: Variant].self, forKey: .variants)
        media = try container.decodeIfPresent([UUID].self, forKey: .media)
        schedule = try container.decodeIfPresent(Schedule.self, forKey: .schedule)
        shortenLinks = try container.decodeIfPresent(Bool.self, forKey: .shortenLinks)
        campaign = try container.decodeChange(String.self, forKey: .campaign)
    }

    /// The post as the service takes it; a schedule that is not exactly one of its three forms
    /// is a field error.
    func draft() throws -> PostService.Draft {
        var when: DeliveryService.When?
        if let schedule {
            guard let chosen = schedule.when else {
                throw AppError.invalid(["schedule": "Give exactly one of {\"at\": instant}, {\"queue\": true} or {\"now\": true}."])
            }
            when = chosen
        }
        return .init(text: text, thread: thread, channels: channels, variants: variants?.mapValues(\.text), media: media, schedule: when,
                     shortenLinks: shortenLinks, campaign: campaign)
    }
}

struct PostDTO: Content {
    var id: String
    var status: String
    var text: String
    var thread: [String]
    var channels: [String]
    var variants: [String: String]
    var media: [String]
    var shortenLinks: Bool
    var campaign: String?
    var deliveries: [DeliveryDTO]
    var authorID: String?
    /// The idea of the board it was drafted from.
    var idea: String?
    var createdAt: Date?
    var updatedAt: Date?
    /// Counts up with each edit of what the post says.
    var version: Int
    /// Where the post stands with the workspace's approval rule, in the answer for one post.
    var approvals: Approvals?

    struct Approvals: Content {
        var required: Int
        /// The members who approved the current version.
        var approvedBy: [String]
        var approved: Bool
    }

    /// `metrics`: the counts read so far of the post's deliveries, by delivery id.
    init(_ post: Post, approvals standing: ApprovalService.Standing? = nil, metrics: [UUID: DeliveryMetrics] = [:]) throws {
        version = post.version
        approvals = standing.map { Approvals(required: $0.required, approvedBy: $0.approvedBy, approved: $0.isApproved) }
        id = try post.requireID().uuidString
        text = post.text
        thread = post.thread
        // In a stable order, whatever order the join returned.
        channels = (post.$channels.value ?? [])
            .sorted { ($0.network.rawValue, $0.handle) < ($1.network.rawValue, $1.handle) }
            .compactMap { $0.id?.uuidString }
        variants = post.variants
        media = post.media.map(\.uuidString)
        shortenLinks = post.shortensLinks
        campaign = post.campaign
        let deliveries = (post.$deliveries.value ?? []).sorted { ($0.scheduledAt, $0.channelHandle) < ($1.scheduledAt, $1.channelHandle) }
        self.deliveries = try deliveries.map { try DeliveryDTO($0, metrics: $0.id.flatMap { metrics[$0] }) }
        status = Self.status(post.status, deliveries)
        authorID = post.$author.id?.uuidString
        idea = post.ideaID?.uuidString
        createdAt = post.createdAt
        updatedAt = post.updatedAt
    }
}

extension PostDTO {
    /// `draft`, `scheduled` while any delivery is to go, `failed` when one failed, else `published`.
    static func status(_ status: Post.Status, _ deliveries: [Delivery]) -> String {
        guard status == .scheduled, !deliveries.isEmpty else { return status.rawValue }
        if deliveries.contains(where: { $0.state.isPending || $0.state == .sending }) { return "scheduled" }
        if deliveries.contains(where: { $0.state == .failed }) { return "failed" }
        if deliveries.allSatisfy({ $0.state == .canceled }) { return "canceled" }
        return "published"
    }
}

/// One (post, channel) pair's way to the network, as API.md shapes it. A draft has none.
struct DeliveryDTO: Content {
    var id: String
    /// The channel's id; nil once it was disconnected (`handle` still says where it went).
    var channel: String?
    var handle: String
    var state: String
    var scheduledAt: Date?
    var publishedAt: Date?
    var remoteId: String?
    var remoteURL: String?
    var error: String?
    /// What the network counts for it, as last read; absent before the first reading.
    var metrics: DeliveryMetricsDTO?

    init(_ delivery: Delivery, metrics: DeliveryMetrics? = nil) throws {
        id = try delivery.requireID().uuidString
        channel = delivery.$channel.id?.uuidString
        handle = delivery.channelHandle
        state = delivery.state.rawValue
        scheduledAt = delivery.scheduledAt
        publishedAt = delivery.publishedAt
        remoteId = delivery.remoteID
        remoteURL = delivery.remoteURL
        error = delivery.error
        self.metrics = metrics.map(DeliveryMetricsDTO.init)
    }
}

/// A delivery's counts as its network gives them; null where the network does not count it.
struct DeliveryMetricsDTO: Content {
    var likes: Int64?
    var reposts: Int64?
    var replies: Int64?
    var quotes: Int64?
    var impressions: Int64?
    var readAt: Date?

    init(_ metrics: DeliveryMetrics) {
        likes = metrics.likes
        reposts = metrics.reposts
        replies = metrics.replies
        quotes = metrics.quotes
        impressions = metrics.impressions
        readAt = metrics.readAt
    }

    /// Every key written, null included: a count the network does not give reads as null, not
    /// as missing.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(likes, forKey: .likes)
        try container.encode(reposts, forKey: .reposts)
        try container.encode(replies, forKey: .replies)
        try container.encode(quotes, forKey: .quotes)
        try container.encode(impressions, forKey: .impressions)
        try container.encode(readAt, forKey: .readAt)
    }
}

/// `{"version"}`: the version of the post the approver read; left out, the current one.
struct ApprovalRequest: APIRequestBody {
    static let fields: Set<String> = ["version"]
    var version: Int?
}
