import Foundation
import SQLKit

/// What a conversion counts for: the click it came through — when it happened within the
/// workspace's window after that click — and so the link, and for a post's link the delivery,
/// post, channel and the feed item or library item the post was made from.
struct ConversionAttribution: Sendable, Equatable {
    var link: UUID
    var delivery: UUID?
    var post: UUID?
    var channel: UUID?
    var origin: PostOrigin?
}

extension ConversionService {
    /// Nil for a conversion without a click id, with another workspace's click or a fetcher's,
    /// or outside the window: the same rule the reports count by (`attributes`).
    func attribution(of conversion: Conversion, in workspace: Workspace) async throws -> ConversionAttribution? {
        guard let clickID = conversion.clickID else { return nil }
        let sql = db as! any SQLDatabase
        guard let row = try await sql.raw("""
            SELECT k.clicked_at, s.id, s.post_id, s.channel_id, s.delivery_id FROM link_clicks k JOIN short_links s ON s.id = k.link_id
            WHERE k.id = \(bind: clickID) AND s.workspace_id = \(bind: workspace.requireID()) AND k.by_fetcher = \(bind: false)
            """).first() else { return nil }
        let window = TimeInterval(try await tracking(of: workspace).attributionDays * 86_400)
        guard Self.attributes(occurred: conversion.occurredAt, clicked: try row.decode(column: "clicked_at", as: Date.self), window: window) else { return nil }
        let post = try row.decode(column: "post_id", as: UUID?.self)
        return ConversionAttribution(
            link: try row.decode(column: "id", as: UUID.self), delivery: try row.decode(column: "delivery_id", as: UUID?.self), post: post,
            channel: try row.decode(column: "channel_id", as: UUID?.self), origin: try await post.asyncFlatMap { try await PostOrigin.of([$0], on: sql)[$0] }
        )
    }
}

private extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
