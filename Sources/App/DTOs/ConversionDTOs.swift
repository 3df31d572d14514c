import Foundation
import Vapor

/// `{"kind": "lead" | "sale", "orderId", "value", "currency", "clickId", "occurredAt"}`.
struct ConversionRequest: APIRequestBody {
    static let fields: Set<String> = ["kind", "orderId", "value", "currency", "clickId", "occurredAt"]
    var kind: String
    var orderId: String?
    var value: Decimal?
    var currency: String?
    var clickId: String?
    var occurredAt: Date?

    var report: ConversionService.Report {
        .init(kind: kind, orderID: orderId, value: value, currency: currency, clickID: clickId, occurredAt: occurredAt)
    }
}

/// `{"attributionDays", "shortenLinks"}`; a field left out stays as it is.
struct TrackingChangeRequest: APIRequestBody {
    static let fields: Set<String> = ["attributionDays", "shortenLinks"]
    var attributionDays: Int?
    var shortenLinks: Bool?
}

struct ConversionDTO: Content {
    var id: String
    var kind: String
    var orderId: String?
    var value: Decimal?
    var currency: String?
    var clickId: String?
    var source: String
    var occurredAt: Date
    /// What it counts for; null when it came through no click of the workspace's within the window.
    var attribution: ConversionAttributionDTO?

    init(_ conversion: Conversion, attribution: ConversionAttribution?) throws {
        id = try conversion.requireID().uuidString
        kind = conversion.kind.rawValue
        orderId = conversion.orderID
        value = conversion.valueMilli.map { Decimal($0) / 1_000 }
        currency = conversion.currency
        clickId = conversion.clickID
        source = conversion.source.rawValue
        occurredAt = conversion.occurredAt
        self.attribution = attribution.map(ConversionAttributionDTO.init)
    }
}

/// `{"link", "delivery", "post", "channel", "feed": {"id", "title"}, "libraryItem": {"id", "category"}}`.
struct ConversionAttributionDTO: Content {
    struct Feed: Content {
        var id: String
        var title: String?
    }

    struct LibraryItem: Content {
        var id: String
        var category: String
    }

    var link: String
    var delivery: String?
    var post: String?
    var channel: String?
    var feed: Feed?
    var libraryItem: LibraryItem?

    init(_ attribution: ConversionAttribution) {
        link = attribution.link.uuidString
        delivery = attribution.delivery?.uuidString
        post = attribution.post?.uuidString
        channel = attribution.channel?.uuidString
        switch attribution.origin {
        case let .feed(subscription, title)?: feed = Feed(id: subscription.uuidString, title: title)
        case let .library(item, category, _)?: libraryItem = LibraryItem(id: item.uuidString, category: category)
        case nil: break
        }
    }
}

struct ConversionImportDTO: Content {
    var created: Int
    var repeated: Int
}

/// The workspace's tracking settings, and the line a shop pastes into its pages.
struct TrackingDTO: Content {
    var publicKey: String
    var attributionDays: Int
    /// Posts' links go out as short links unless a post says otherwise.
    var shortenLinks: Bool
    var script: String

    init(_ tracking: WorkspaceTracking, base: String) {
        publicKey = tracking.publicKey
        attributionDays = tracking.attributionDays
        shortenLinks = tracking.shortensLinks
        script = #"<script src="\#(base)/t.js" data-key="\#(tracking.publicKey)" defer></script>"#
    }
}
