import Foundation
import SQLKit

/// Where a post came from, when Trestle made it from something: an item of a subscribed feed,
/// or an evergreen item of the library. Links are tagged with it, and sales are traced to it.
enum PostOrigin: Sendable, Equatable {
    case feed(subscription: UUID, title: String?)
    case library(item: UUID, category: String, text: String)

    /// The origins of `posts` that have one, in pieces (SQLite binds a bounded number of
    /// parameters).
    static func of(_ posts: some Collection<UUID>, on sql: any SQLDatabase) async throws -> [UUID: PostOrigin] {
        var origins: [UUID: PostOrigin] = [:]
        let ids = Array(Set(posts))
        for start in stride(from: 0, to: ids.count, by: 500) {
            let piece = ids[start..<min(start + 500, ids.count)].map { $0 as any Encodable & Sendable }
            try await read(library: "f.post_id IN (\(binds: piece))", feeds: "i.post_id IN (\(binds: piece))", on: sql, into: &origins)
        }
        return origins
    }

    /// The origins of every post of a workspace that has one: two readings, however many posts.
    static func ofPosts(in workspace: UUID, on sql: any SQLDatabase) async throws -> [UUID: PostOrigin] {
        var origins: [UUID: PostOrigin] = [:]
        try await read(library: "i.workspace_id = \(bind: workspace)", feeds: "s.workspace_id = \(bind: workspace)", on: sql, into: &origins)
        return origins
    }

    /// A post filled from the library more than once keeps one item; a post made from a feed
    /// item is the feed's, whatever else.
    private static func read(library: SQLQueryString, feeds: SQLQueryString, on sql: any SQLDatabase, into origins: inout [UUID: PostOrigin]) async throws {
        let fills = try await sql.raw("""
            SELECT f.post_id, i.id AS item_id, i.text, c.name FROM library_fills f
            JOIN library_items i ON i.id = f.item_id JOIN library_categories c ON c.id = i.category_id
            WHERE f.post_id IS NOT NULL AND \(library)
            """).all()
        for row in fills {
            let post = try row.decode(column: "post_id", as: UUID.self), item = try row.decode(column: "item_id", as: UUID.self)
            // Rows come in no set order: the smallest item id, so that two readings agree.
            if case let .library(kept, _, _)? = origins[post], kept.uuidString <= item.uuidString { continue }
            origins[post] = .library(item: item, category: try row.decode(column: "name", as: String.self), text: try row.decode(column: "text", as: String.self))
        }
        let items = try await sql.raw("""
            SELECT i.post_id, s.id AS subscription_id, s.title FROM feed_seen_items i JOIN feed_subscriptions s ON s.id = i.subscription_id
            WHERE i.post_id IS NOT NULL AND \(feeds)
            """).all()
        for row in items {
            origins[try row.decode(column: "post_id", as: UUID.self)] = .feed(
                subscription: try row.decode(column: "subscription_id", as: UUID.self), title: try row.decode(column: "title", as: String?.self)
            )
        }
    }

    /// The campaign a post's links are tagged with when the post names none: the feed's title,
    /// else the library category's name.
    var campaign: String? {
        switch self {
        case let .feed(_, title): title.flatMap { $0.isEmpty ? nil : String($0.prefix(LinkService.longestCampaign)) }
        case let .library(_, category, _): String(category.prefix(LinkService.longestCampaign))
        }
    }
}
