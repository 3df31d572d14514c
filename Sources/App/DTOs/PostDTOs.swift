import Foundation
import Vapor

/// `{"text", "thread", "channels", "variants": {channelId: {"text"}}, "schedule"}`.
struct PostRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "thread", "channels", "variants", "media", "schedule"]

    struct Variant: Decodable, Sendable {
        var text: String
    }

    /// `{"at": instant} | {"queue": true} | {"now": true}`; only its presence matters until
    /// channels exist.
    struct Schedule: Decodable, Sendable {
        var at: Date?
        var queue: Bool?
        var now: Bool?
    }

    var text: String?
    var thread: [String]?
    var channels: [String]?
    var variants: [String: Variant]?
    /// Ids of uploaded images or videos, in the order they are shown.
    var media: [UUID]?
    var schedule: Schedule?

    var draft: PostService.Draft {
        .init(text: text, thread: thread, channels: channels, variants: variants?.mapValues(\.text), media: media, wantsSchedule: schedule != nil)
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
        status = post.status.rawValue
        text = post.text
        thread = post.thread
        // In a stable order, whatever order the join returned.
        channels = (post.$channels.value ?? [])
            .sorted { ($0.network.rawValue, $0.handle) < ($1.network.rawValue, $1.handle) }
            .compactMap { $0.id?.uuidString }
        variants = post.variants
        media = post.media.map(\.uuidString)
        deliveries = []
        authorID = post.$author.id?.uuidString
        createdAt = post.createdAt
        updatedAt = post.updatedAt
    }
}

/// One (post, channel) pair's way to the network, as API.md shapes it. A draft has none.
struct DeliveryDTO: Content {
    var id: String
    var channel: String
    var state: String
    var scheduledAt: Date?
    var publishedAt: Date?
    var remoteId: String?
    var remoteURL: String?
    var error: String?
}
