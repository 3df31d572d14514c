import Feeds
import Foundation
import Vapor

/// `{"url"}` for a preview.
struct FeedPreviewRequest: APIRequestBody {
    static let fields: Set<String> = ["url"]
    var url: String
}

/// What a feed holds now, as `POST /api/v1/feeds/preview` shows it.
struct FeedPreviewDTO: Content {
    struct FeedInfo: Content {
        var title: String?
        var link: String?
    }

    struct Item: Content {
        var id: String
        var title: String?
        var link: String?
        var published: Date?
        /// Plain text, at most `longestSummary` characters.
        var summary: String?
    }

    static let longestSummary = 500
    static let mostItems = 50

    var feed: FeedInfo
    var items: [Item]

    init(_ feed: Feed) {
        self.feed = FeedInfo(title: feed.title, link: feed.link?.absoluteString)
        items = feed.items.prefix(Self.mostItems).map {
            Item(id: $0.id, title: $0.title, link: $0.link?.absoluteString, published: $0.published ?? $0.updated,
                 summary: $0.plainSummary.map { FeedPostText.shortened($0, to: Self.longestSummary) })
        }
    }
}

/// `{"url", "channels", "template", "templates", "mode", "backfill", "pollMinutes"}`; every field
/// optional in a PATCH.
extension FeedBridgeService.Request: APIRequestBody {
    static let fields: Set<String> = ["url", "channels", "template", "templates", "mode", "backfill", "pollMinutes"]
}

/// A subscription as the API shows it.
struct FeedSubscriptionDTO: Content {
    var id: String
    var url: String
    var title: String?
    var channels: [String]
    var template: String
    var templates: [String: String]
    var mode: String
    var pollMinutes: Int
    var lastPolledAt: Date?
    var nextPollAt: Date
    var lastError: String?
    var createdAt: Date?

    init(_ subscription: FeedSubscription) throws {
        id = try subscription.requireID().uuidString
        url = subscription.url
        title = subscription.title
        channels = subscription.channelIDs.map(\.uuidString)
        template = subscription.template
        templates = subscription.templates
        mode = subscription.mode.rawValue
        pollMinutes = subscription.pollMinutes
        lastPolledAt = subscription.lastPolledAt
        nextPollAt = subscription.nextPollAt
        lastError = subscription.lastError
        createdAt = subscription.createdAt
    }
}
