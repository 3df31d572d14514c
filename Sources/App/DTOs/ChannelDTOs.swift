import Foundation
import Vapor

/// `{"network": "mastodon", "instanceURL", "accessToken"}`,
/// `{"network": "bluesky", "service", "identifier", "appPassword"}` or `{"network": "site", "name"}`,
/// each with an optional `timezone`.
struct ChannelConnectRequest: APIRequestBody {
    static let fields: Set<String> = ["network", "instanceURL", "accessToken", "service", "identifier", "appPassword", "name", "timezone"]
    var network: String
    var instanceURL: String?
    var accessToken: String?
    var service: String?
    var identifier: String?
    var appPassword: String?
    var name: String?
    var timezone: String?

    /// The connection asked for, or field errors naming what is missing or not offered.
    func connection() throws -> ChannelConnection {
        try ChannelConnection(
            network: network, instanceURL: instanceURL, accessToken: accessToken,
            service: service, identifier: identifier, appPassword: appPassword
        )
    }
}

/// `{"name", "timezone"}`: what can change without connecting again.
struct ChannelChangeRequest: APIRequestBody {
    static let fields: Set<String> = ["name", "timezone"]
    var name: String?
    var timezone: String?
}

/// A channel as the API shows it: never its credentials.
struct ChannelDTO: Content {
    struct Limits: Content {
        var maxCharacters: Int
        var charactersReservedPerURL: Int?
    }

    var id: String
    var network: String
    var name: String
    var handle: String
    var status: String
    var timezone: String
    var server: String
    /// The text limit posts to this channel are counted against.
    var limits: Limits
    /// Why the channel needs reconnecting, when it does.
    var problem: String?
    /// When the network last confirmed or refused the credentials.
    var checkedAt: Date?
    var createdAt: Date?
    /// A Site channel's public page and its three feeds, absolute; absent for other networks.
    var site: SiteAddresses?

    /// `publicBase` is where people reach Trestle (`Request.publicBaseURL`), for a site's links.
    init(_ channel: Channel, publicBase: String) throws {
        id = try channel.requireID().uuidString
        network = channel.network.rawValue
        name = channel.name
        handle = channel.handle
        status = channel.status.rawValue
        timezone = channel.timezone
        server = channel.serverURL
        let catalog = channel.textRules
        limits = Limits(
            maxCharacters: catalog.rules(for: channel.network).limit,
            charactersReservedPerURL: channel.network == .mastodon ? catalog.mastodon.charactersReservedPerURL : nil
        )
        problem = channel.problem
        checkedAt = channel.checkedAt
        createdAt = channel.createdAt
        if channel.network == .site { site = SiteAddresses(slug: channel.remoteID, base: publicBase) }
    }
}

/// A channel's posting times: `{"slots": [{"weekday": 1…7 (Monday is 1), "time": "HH:MM",
/// "category": id}]}`; `category` (optional) binds the slot to a library category.
struct PostingSlotsDTO: Content, APIRequestBody {
    static let fields: Set<String> = ["slots"]

    struct Slot: Content {
        var weekday: Int
        var time: String
        /// The library category that fills this slot; absent for a slot of the queue.
        var category: String?

        init(weekday: Int, time: String, category: String? = nil) {
            self.weekday = weekday
            self.time = time
            self.category = category
        }

        private enum CodingKeys: String, CodingKey, CaseIterable {
            case weekday, time, category
        }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// Known fields only, as in the body itself: a misspelt field in a slot is an error.
        init(from decoder: any Decoder) throws {
            let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
                .filter { CodingKeys(rawValue: $0) == nil }
            if let field = unknown.sorted().first {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "A slot has only weekday, time and category, not \(field.prefix(40))."))
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            weekday = try container.decode(Int.self, forKey: .weekday)
            time = try container.decode(String.self, forKey: .time)
            category = try container.decodeIfPresent(String.self, forKey: .category)
        }
    }

    var slots: [Slot]

    init(_ channel: Channel) {
        slots = channel.postingSlots.sorted().map { Slot(weekday: $0.weekday, time: $0.time, category: $0.category?.uuidString) }
    }

    func postingSlots() throws -> [PostingSlot] {
        try slots.enumerated().map { index, slot in
            var category: UUID?
            if let id = slot.category {
                guard let uuid = UUID(uuidString: id) else {
                    throw AppError.invalid(["slots": "Slot \(index + 1): \(id.prefix(40)) is not one of the library's categories."])
                }
                category = uuid
            }
            guard let parsed = PostingSlot(weekday: slot.weekday, time: slot.time, category: category) else {
                throw AppError.invalid(["slots": "Slot \(index + 1): give a weekday from 1 (Monday) to 7 (Sunday) and a time as HH:MM, such as 09:30."])
            }
            return parsed
        }
    }
}
