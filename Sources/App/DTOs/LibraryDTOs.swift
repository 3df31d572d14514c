import Foundation
import Vapor

/// `{"paused": true}`: the whole library stops filling slots, and what it had waiting is canceled.
struct LibrarySettingsRequest: APIRequestBody {
    static let fields: Set<String> = ["paused"]
    var paused: Bool
}

/// `{"name", "minDaysBetween", "maxRepeats", "expiresAt"}`; in a change, a field left out stays
/// as it is and `null` clears it (no limit, no expiry).
struct LibraryCategoryRequest: APIRequestBody {
    static let fields: Set<String> = ["name", "minDaysBetween", "maxRepeats", "expiresAt"]
    var draft = LibraryService.CategoryDraft()

    private enum CodingKeys: String, CodingKey {
        case name, minDaysBetween, maxRepeats, expiresAt
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        draft.name = try container.decodeIfPresent(String.self, forKey: .name)
        draft.minDaysBetween = try container.decodeIfPresent(Int.self, forKey: .minDaysBetween)
        draft.maxRepeats = try container.decodeChange(Int.self, forKey: .maxRepeats)
        draft.expiresAt = try container.decodeChange(Date.self, forKey: .expiresAt)
    }
}

/// `{"category", "text", "variants": [text…], "media": [id], "minDaysBetween", "maxRepeats",
/// "expiresAt"}`; the three rules are the item's own, and `null` gives it its category's.
struct LibraryItemRequest: APIRequestBody {
    static let fields: Set<String> = ["category", "text", "variants", "media", "minDaysBetween", "maxRepeats", "expiresAt"]
    var draft = LibraryService.ItemDraft()

    private enum CodingKeys: String, CodingKey {
        case category, text, variants, media, minDaysBetween, maxRepeats, expiresAt
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        draft.category = try container.decodeIfPresent(String.self, forKey: .category)
        draft.text = try container.decodeIfPresent(String.self, forKey: .text)
        draft.variants = try container.decodeIfPresent([String].self, forKey: .variants)
        draft.media = try container.decodeIfPresent([UUID].self, forKey: .media)
        draft.minDaysBetween = try container.decodeChange(Int.self, forKey: .minDaysBetween)
        draft.maxRepeats = try container.decodeChange(Int.self, forKey: .maxRepeats)
        draft.expiresAt = try container.decodeChange(Date.self, forKey: .expiresAt)
    }
}

extension KeyedDecodingContainer {
    /// Left out: nil; `null`: `.some(nil)`; a value: that value.
    func decodeChange<Value: Decodable>(_: Value.Type, forKey key: Key) throws -> Value?? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return .some(nil) }
        return .some(try decode(Value.self, forKey: key))
    }
}

struct LibraryDTO: Content {
    var paused: Bool
}

/// A category with its rules; `null` is no limit, no expiry.
struct LibraryCategoryDTO: Content {
    var id: String
    var name: String
    var minDaysBetween: Int
    var maxRepeats: Int?
    var expiresAt: Date?
    var createdAt: Date?

    init(_ category: LibraryCategory) throws {
        id = try category.requireID().uuidString
        name = category.name
        minDaysBetween = category.minDaysBetween
        maxRepeats = category.maxRepeats
        expiresAt = category.expiresAt
        createdAt = category.createdAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(minDaysBetween, forKey: .minDaysBetween)
        try container.encode(maxRepeats, forKey: .maxRepeats)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }
}

/// An item: its content, its own rules (`null`: its category's), how often it went out, when
/// it goes next, and — once metrics are read — the engagement it brought.
struct LibraryItemDTO: Content {
    var id: String
    var category: String
    var text: String
    var variants: [String]
    var media: [String]
    var minDaysBetween: Int?
    var maxRepeats: Int?
    var expiresAt: Date?
    var timesSent: Int
    var nextDueAt: Date?
    var lastSentAt: Date?
    var engagement: Int?
    var createdAt: Date?

    init(_ item: LibraryItem, record: LibraryService.ItemRecord?) throws {
        id = try item.requireID().uuidString
        category = item.$category.id.uuidString
        text = item.text
        variants = item.variants
        media = item.media.map(\.uuidString)
        minDaysBetween = item.minDaysBetween
        maxRepeats = item.maxRepeats
        expiresAt = item.expiresAt
        timesSent = record?.timesSent ?? 0
        nextDueAt = record?.nextDueAt
        lastSentAt = record?.lastSentAt
        engagement = record?.engagement
        createdAt = item.createdAt
    }

    // `null` rather than a missing key: "not due", "never sent" and "no metrics yet" are answers.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(category, forKey: .category)
        try container.encode(text, forKey: .text)
        try container.encode(variants, forKey: .variants)
        try container.encode(media, forKey: .media)
        try container.encode(minDaysBetween, forKey: .minDaysBetween)
        try container.encode(maxRepeats, forKey: .maxRepeats)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(timesSent, forKey: .timesSent)
        try container.encode(nextDueAt, forKey: .nextDueAt)
        try container.encode(lastSentAt, forKey: .lastSentAt)
        try container.encode(engagement, forKey: .engagement)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }
}
