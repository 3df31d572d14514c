import Fluent
import Foundation
import SQLKit
import TextRules

/// A workspace's deliveries laid out on the days of the viewer's calendar: a few per day with
/// the day's total, so a month of 10,000 posts does not mean 10,000 rows read. Each day is cut
/// by the viewer's own midnights, which the database is given as instants.
struct PostCalendar: Sendable {
    struct Entry: Sendable {
        var id: UUID
        var postID: UUID
        var channelID: UUID?
        var handle: String
        var network: Network
        var state: Delivery.State
        var scheduledAt: Date
        var excerpt: String
    }

    struct Day: Sendable {
        var start: Date
        var entries: [Entry]
        var total: Int
    }

    let db: any Database

    /// The days between consecutive `midnights` (n + 1 instants give n days), each with its
    /// first `perDay` deliveries by time and how many it has in all; canceled ones are left out.
    /// Two queries: each day's first few straight from the index by time, and the days' totals.
    func days(between midnights: [Date], in workspace: Workspace, perDay: Int) async throws -> [Day] {
        guard midnights.count >= 2 else { return [] }
        let sql = db as! any SQLDatabase
        let workspaceID = try workspace.requireID()
        var days = midnights.dropLast().map { Day(start: $0, entries: [], total: 0) }

        var firsts = SQLQueryString("")
        for index in days.indices {
            if index > 0 { firsts.appendInterpolation(unsafeRaw: " UNION ALL ") }
            firsts.appendInterpolation(unsafeRaw: "SELECT * FROM (SELECT d.id, d.post_id, d.channel_id, d.channel_handle, d.network, d.state, d.scheduled_at, substr(p.text, 1, 90) AS excerpt, \(index) AS day FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.workspace_id = ")
            firsts.appendInterpolation(bind: workspaceID)
            firsts.appendInterpolation(unsafeRaw: " AND d.scheduled_at >= ")
            firsts.appendInterpolation(bind: midnights[index])
            firsts.appendInterpolation(unsafeRaw: " AND d.scheduled_at < ")
            firsts.appendInterpolation(bind: midnights[index + 1])
            firsts.appendInterpolation(unsafeRaw: " AND d.state <> 'canceled' AND p.answers_item_id IS NULL ORDER BY d.scheduled_at, d.id LIMIT \(max(0, perDay))) AS day\(index)")
        }
        for row in try await sql.raw(firsts).all() {
            let day = try row.decode(column: "day", as: Int.self)
            guard days.indices.contains(day) else { continue }
            days[day].entries.append(Entry(
                id: try row.decode(column: "id", as: UUID.self), postID: try row.decode(column: "post_id", as: UUID.self),
                channelID: try row.decode(column: "channel_id", as: UUID?.self), handle: try row.decode(column: "channel_handle", as: String.self),
                network: Network(rawValue: try row.decode(column: "network", as: String.self)) ?? .mastodon,
                state: Delivery.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .scheduled,
                scheduledAt: try row.decode(column: "scheduled_at", as: Date.self), excerpt: try row.decode(column: "excerpt", as: String.self)
            ))
        }

        var dayOf = SQLQueryString("CASE")
        for (index, end) in midnights.dropFirst().enumerated() {
            dayOf.appendInterpolation(unsafeRaw: " WHEN d.scheduled_at < ")
            dayOf.appendInterpolation(bind: end)
            dayOf.appendInterpolation(unsafeRaw: " THEN \(index)")
        }
        dayOf.appendInterpolation(unsafeRaw: " END")
        let totals = try await sql.raw("""
            SELECT \(dayOf) AS day, COUNT(*) AS total
            FROM deliveries d JOIN posts p ON p.id = d.post_id
            WHERE p.workspace_id = \(bind: workspaceID)
              AND d.scheduled_at >= \(bind: midnights[0]) AND d.scheduled_at < \(bind: midnights[midnights.count - 1])
              AND d.state <> 'canceled' AND p.answers_item_id IS NULL
            GROUP BY day
            """).all()
        for row in totals {
            let day = try row.decode(column: "day", as: Int.self)
            if days.indices.contains(day) { days[day].total = try row.decode(column: "total", as: Int.self) }
        }
        return days
    }
}
