import Foundation
import Vapor

/// `{"text", "thread", "channels", "variants": {channelId: {"text"}}, "schedule"}`.
struct PostRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "thread", "channels", "variants", "media", "schedule"]

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
        return .init(text: text, thread: thread, channels: channels, variants: variants?.mapValues(\.text), media: media, schedule: when)
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
    var deliveries: [DeliveryDTO]
    var authorID: String?
    var createdAt: Date?
    var updatedAt: Date?

    init(_ post: Post) throws {
        id = try post.requireID().uuidString
        text = post.text
        thread = post.thread
        // In a stable order, whatever order the join returned.
        channels = (post.$channels.value ?? [])
            .sorted { ($0.network.rawValue, $0.handle) < ($1.network.rawValue, $1.handle) }
            .compactMap { $0.id?.uuidString }
        variants = post.variants
        media = post.media.map(\.uuidString)
        let deliveries = (post.$deliveries.value ?? []).sorted { ($0.scheduledAt, $0.channelHandle) < ($1.scheduledAt, $1.channelHandle) }
        self.deliveries = try deliveries.map { try DeliveryDTO($0) }
        status = Self.status(post.status, deliveries)
        authorID = post.$author.id?.uuidString
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

    init(_ delivery: Delivery) throws {
        id = try delivery.requireID().uuidString
        channel = delivery.$channel.id?.uuidString
        handle = delivery.channelHandle
        state = delivery.state.rawValue
        scheduledAt = delivery.scheduledAt
        publishedAt = delivery.publishedAt
        remoteId = delivery.remoteID
        remoteURL = delivery.remoteURL
        error = delivery.error
    }
}
