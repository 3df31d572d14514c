import Foundation
import Vapor

/// `{"network", "name", "timezone", …}` with the network's own fields beside them, such as
/// `{"network": "mastodon", "instanceURL", "accessToken"}`,
/// `{"network": "bluesky", "service", "identifier", "appPassword"}` or `{"network": "site", "name"}`.
/// Which fields a network takes is its connector's to say (`ChannelConnection`).
struct ChannelConnectRequest: Sendable {
    var network: String
    /// Every field but `network`, as text.
    var fields: [String: String]

    var name: String? { fields["name"] }
    var timezone: String? { fields["timezone"] }

    init(network: String, fields: [String: String]) {
        self.network = network
        self.fields = fields
    }

    /// From the API's JSON object: a field no network takes is unknown; every value is text.
    init(json object: [String: Any], connectors: Connectors) throws {
        let known = ChannelConnection.commonFields.union(connectors.all.flatMap { $0.connecting.fields.map(\.name) })
        let unknown = Set(object.keys).subtracting(known)
        if !unknown.isEmpty { throw AppError.unknownFields(unknown) }
        var fields: [String: String] = [:]
        var wrong: [String: String] = [:]
        for (key, value) in object where !(value is NSNull) {
            if let text = value as? String { fields[key] = text } else { wrong[key] = "Must be text." }
        }
        guard let network = fields.removeValue(forKey: "network") else {
            wrong["network"] = wrong["network"] ?? "Required: the network to connect."
            throw AppError.invalid(wrong, message: "Some fields are missing or have the wrong type.")
        }
        guard wrong.isEmpty else { throw AppError.invalid(wrong, message: "Some fields are missing or have the wrong type.") }
        self.init(network: network, fields: fields)
    }

    /// The connection asked for, or field errors naming what is missing or not offered.
    func connection(_ connectors: Connectors) throws -> ChannelConnection {
        try ChannelConnection(network: network, fields: fields, connectors: connectors)
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
