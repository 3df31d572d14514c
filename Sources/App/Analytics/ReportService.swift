import Fluent
import Foundation
import SQLKit

/// Reads a workspace's report. Each table is read once, grouped in SQL where its rows are many
/// (clicks), filtered by the period's bound instants so that SQLite and PostgreSQL need no date
/// functions; hours of the week are worked out here from the deliveries, which are few.
struct ReportService: Sendable {
    let db: any Database
    let wiring: Wiring

    /// Numbers are kept per (post, channel) pair and added up from there, so the channel rows,
    /// the post rows and the totals are sums of the same cells.
    private struct Pair: Hashable {
        var post: UUID
        var channel: UUID?
    }

    private struct Link {
        var post: UUID
        var channel: UUID?
        var delivery: UUID?
    }

    private struct Published {
        var id: UUID
        var pair: Pair
        var at: Date
        /// Nil until the network's counts were read.
        var engagement: Int64?
    }

    func report(for workspace: Workspace, over period: ReportPeriod) async throws -> Report {
        let workspaceID = try workspace.requireID()
        let sql = db as! any SQLDatabase
        let attributionDays = try await ConversionService(db: db, wiring: wiring).tracking(of: workspace).attributionDays
        let channels = try await Channel.query(on: db).filter(\.$workspace.$id == workspaceID).all()

        let published = try await deliveries(sql, workspace: workspaceID, period: period)
        let links = try await links(sql, workspace: workspaceID)
        var cells: [Pair: Report.Counts] = [:]
        for delivery in published {
            cells[delivery.pair, default: .init()].published += 1
            cells[delivery.pair, default: .init()].engagement &+= delivery.engagement ?? 0
        }
        var clicksByDelivery: [UUID: Int] = [:]
        for (linkID, clicks) in try await clicks(sql, workspace: workspaceID, period: period) {
            guard let link = links[linkID] else { continue }
            cells[Pair(post: link.post, channel: link.channel), default: .init()].clicks += clicks
            if let delivery = link.delivery { clicksByDelivery[delivery, default: 0] += clicks }
        }
        let window = TimeInterval(attributionDays * 86_400)
        for row in try await conversions(sql, workspace: workspaceID, period: period) {
            guard let link = links[row.link], ConversionService.attributes(occurred: row.occurred, clicked: row.clicked, window: window) else { continue }
            let pair = Pair(post: link.post, channel: link.channel)
            switch row.kind {
            case .lead: cells[pair, default: .init()].leads += 1
            case .sale:
                cells[pair, default: .init()].sales += 1
                if let currency = row.currency, let value = row.valueMilli { cells[pair, default: .init()].revenueMilli[currency, default: 0] &+= value }
            }
        }

        // Only the workspace's own posts, and real ones (not answers sent from the inbox).
        let excerpts = try await excerpts(sql, workspace: workspaceID, posts: Set(cells.keys.map(\.post)))
        cells = cells.filter { excerpts[$0.key.post] != nil }

        let names = Dictionary(channels.compactMap { channel in channel.id.map { ($0, Self.name(of: channel)) } }, uniquingKeysWith: { a, _ in a })
        var byChannel: [UUID?: Report.Counts] = Dictionary(uniqueKeysWithValues: channels.compactMap { $0.id }.map { (Optional($0), Report.Counts()) })
        var byPost: [UUID: Report.Counts] = [:]
        var totals = Report.Counts()
        for (pair, counts) in cells {
            // A channel disconnected since is counted in one row of its own.
            byChannel[pair.channel.flatMap { names[$0] != nil ? $0 : nil }, default: .init()] += counts
            byPost[pair.post, default: .init()] += counts
            totals += counts
        }
        let channelRows = byChannel.map { Report.ChannelRow(channelID: $0.key, name: $0.key.flatMap { names[$0] } ?? "Disconnected channels", counts: $0.value) }
            .sorted { ($0.channelID == nil ? 1 : 0, $0.name.lowercased()) < ($1.channelID == nil ? 1 : 0, $1.name.lowercased()) }
        let postRows = byPost.map { Report.PostRow(postID: $0.key, excerpt: excerpts[$0.key] ?? "", counts: $0.value) }
            .sorted { a, b in
                // The id last, so that equal posts keep one order from one reading to the next.
                (a.counts.clicks, a.counts.engagement, a.counts.published) != (b.counts.clicks, b.counts.engagement, b.counts.published)
                    ? (a.counts.clicks, a.counts.engagement, a.counts.published) > (b.counts.clicks, b.counts.engagement, b.counts.published)
                    : a.postID.uuidString < b.postID.uuidString
            }
        let kept = published.filter { excerpts[$0.pair.post] != nil }
        return Report(
            period: period, attributionDays: attributionDays, channels: channelRows, posts: postRows,
            sources: try await sources(of: byPost, in: workspaceID, sql: sql), totals: totals,
            bestTimes: Self.bestTimes(kept.map { ($0.id, $0.pair.channel, $0.at, $0.engagement) }, clicks: clicksByDelivery, channels: channels),
            followers: try await followers(sql, channels: channels, period: period)
        )
    }

    /// Each post's numbers added to the row of where it came from; every post is in one row.
    private func sources(of posts: [UUID: Report.Counts], in workspace: UUID, sql: any SQLDatabase) async throws -> [Report.SourceRow] {
        let origins = try await PostOrigin.ofPosts(in: workspace, on: sql)
        var rows: [String: Report.SourceRow] = [:]
        for (post, counts) in posts {
            let row: Report.SourceRow
            switch origins[post] {
            case let .feed(subscription, title)?:
                row = .init(kind: .feed, id: subscription, name: title.flatMap { $0.isEmpty ? nil : $0 } ?? "A feed without a title", counts: .init())
            case let .library(item, category, text)?:
                row = .init(kind: .library, id: item, name: "\(category): \(Self.excerpt(text))", counts: .init())
            case nil:
                row = .init(kind: .written, id: nil, name: "Written in Trestle", counts: .init())
            }
            let key = row.kind.rawValue + (row.id?.uuidString ?? "")
            rows[key, default: row].counts += counts
        }
        return rows.values.sorted { a, b in
            (a.counts.sales, a.counts.clicks, b.name.lowercased(), b.kind.rawValue) > (b.counts.sales, b.counts.clicks, a.name.lowercased(), a.kind.rawValue)
        }
    }

    static func name(of channel: Channel) -> String {
        channel.customName ?? channel.handle
    }

    // MARK: Reading

    private func deliveries(_ sql: any SQLDatabase, workspace: UUID, period: ReportPeriod) async throws -> [Published] {
        let rows = try await sql.raw("""
            SELECT d.id, d.post_id, d.channel_id, d.published_at, m.delivery_id AS counted, m.likes, m.reposts, m.replies, m.quotes
            FROM deliveries d JOIN posts p ON p.id = d.post_id LEFT JOIN delivery_metrics m ON m.delivery_id = d.id
            WHERE p.workspace_id = \(bind: workspace) AND d.state = \(bind: Delivery.State.published.rawValue)
              AND d.published_at >= \(bind: period.from) AND d.published_at < \(bind: period.to)
            """).all()
        return try rows.map { row in
            let counted = try row.decode(column: "counted", as: UUID?.self) != nil
            let parts = try ["likes", "reposts", "replies", "quotes"].map { try row.decode(column: $0, as: Int64?.self) ?? 0 }
            return Published(id: try row.decode(column: "id", as: UUID.self),
                             pair: Pair(post: try row.decode(column: "post_id", as: UUID.self), channel: try row.decode(column: "channel_id", as: UUID?.self)),
                             at: try row.decode(column: "published_at", as: Date.self),
                             engagement: counted ? parts.reduce(0, &+) : nil)
        }
    }

    /// The workspace's links made for a post; links made by hand are not a post's.
    private func links(_ sql: any SQLDatabase, workspace: UUID) async throws -> [UUID: Link] {
        let rows = try await sql.raw("""
            SELECT id, post_id, channel_id, delivery_id FROM short_links WHERE workspace_id = \(bind: workspace) AND post_id IS NOT NULL
            """).all()
        var links: [UUID: Link] = [:]
        links.reserveCapacity(rows.count)
        for row in rows {
            links[try row.decode(column: "id", as: UUID.self)] = Link(post: try row.decode(column: "post_id", as: UUID.self),
                                                                      channel: try row.decode(column: "channel_id", as: UUID?.self),
                                                                      delivery: try row.decode(column: "delivery_id", as: UUID?.self))
        }
        return links
    }

    /// People's clicks in the period per link: the one pass over the biggest table.
    private func clicks(_ sql: any SQLDatabase, workspace: UUID, period: ReportPeriod) async throws -> [(UUID, Int)] {
        try await sql.raw("""
            SELECT k.link_id, COUNT(*) AS clicks FROM link_clicks k JOIN short_links s ON s.id = k.link_id
            WHERE s.workspace_id = \(bind: workspace) AND s.post_id IS NOT NULL AND k.by_fetcher = \(bind: false)
              AND k.clicked_at >= \(bind: period.from) AND k.clicked_at < \(bind: period.to)
            GROUP BY k.link_id
            """).all().map { (try $0.decode(column: "link_id", as: UUID.self), try $0.decode(column: "clicks", as: Int.self)) }
    }

    private struct ConversionRow {
        var link: UUID
        var kind: Conversion.Kind
        var currency: String?
        var valueMilli: Int64?
        var occurred: Date
        var clicked: Date
    }

    /// The period's conversions that came through a post's link; the window is checked in Swift
    /// (date arithmetic differs between the databases, and conversions are few beside clicks).
    private func conversions(_ sql: any SQLDatabase, workspace: UUID, period: ReportPeriod) async throws -> [ConversionRow] {
        try await sql.raw("""
            SELECT k.link_id, c.kind, c.currency, c.value_milli, c.occurred_at, k.clicked_at
            FROM conversions c JOIN link_clicks k ON k.id = c.click_id JOIN short_links s ON s.id = k.link_id
            WHERE c.workspace_id = \(bind: workspace) AND s.workspace_id = \(bind: workspace) AND s.post_id IS NOT NULL
              AND k.by_fetcher = \(bind: false) AND c.occurred_at >= \(bind: period.from) AND c.occurred_at < \(bind: period.to)
            """).all().compactMap { row in
            guard let kind = Conversion.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return ConversionRow(link: try row.decode(column: "link_id", as: UUID.self), kind: kind,
                                 currency: try row.decode(column: "currency", as: String?.self), valueMilli: try row.decode(column: "value_milli", as: Int64?.self),
                                 occurred: try row.decode(column: "occurred_at", as: Date.self), clicked: try row.decode(column: "clicked_at", as: Date.self))
        }
    }

    /// Each post's first line, for the posts that are the workspace's and not inbox answers.
    private func excerpts(_ sql: any SQLDatabase, workspace: UUID, posts: Set<UUID>) async throws -> [UUID: String] {
        var excerpts: [UUID: String] = [:]
        let ids = Array(posts)
        // In pieces: SQLite takes a bounded number of parameters in one statement.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let rows = try await sql.select().columns("id", "text").from(Post.schema)
                .where("workspace_id", .equal, SQLBind(workspace)).where("answers_item_id", .is, SQLLiteral.null)
                .where("id", .in, SQLBind.group(ids[start..<min(start + 500, ids.count)].map { $0 as any Encodable & Sendable }))
                .all()
            for row in rows {
                excerpts[try row.decode(column: "id", as: UUID.self)] = Self.excerpt(try row.decode(column: "text", as: String.self))
            }
        }
        return excerpts
    }

    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        return line.count > 80 ? String(line.prefix(79)) + "…" : (line.isEmpty ? "(no text)" : line)
    }

    private func followers(_ sql: any SQLDatabase, channels: [Channel], period: ReportPeriod) async throws -> [Report.FollowerGrowth] {
        let ids = channels.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        // Days are the channel's own: read the widest span of days, then keep each channel's.
        let spans = Dictionary(uniqueKeysWithValues: channels.compactMap { channel in channel.id.map { ($0, Self.days(of: period, in: channel.timezone)) } })
        let earliest = spans.values.map(\.first).min()!, latest = spans.values.map(\.last).max()!
        let rows = try await sql.select().columns("channel_id", "day", "followers").from("channel_followers")
            .where("channel_id", .in, SQLBind.group(ids.map { $0 as any Encodable & Sendable })).where("day", .greaterThanOrEqual, SQLBind(earliest)).where("day", .lessThanOrEqual, SQLBind(latest))
            .orderBy("day").all()
        var series: [UUID: [(day: String, followers: Int64)]] = [:]
        for row in rows {
            let channel = try row.decode(column: "channel_id", as: UUID.self), day = try row.decode(column: "day", as: String.self)
            guard let span = spans[channel], day >= span.first, day <= span.last else { continue }
            series[channel, default: []].append((day, try row.decode(column: "followers", as: Int64.self)))
        }
        return channels.compactMap { channel in
            channel.id.map { Report.FollowerGrowth(channelID: $0, name: Self.name(of: channel), series: series[$0] ?? []) }
        }.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    /// The first and last day of the period in a zone, as `yyyy-MM-dd`.
    static func days(of period: ReportPeriod, in zone: String) -> (first: String, last: String) {
        let zone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        return (DateText.format(period.from, "yyyy-MM-dd", in: zone, locale: "en_US_POSIX"),
                DateText.format(period.to.addingTimeInterval(-1), "yyyy-MM-dd", in: zone, locale: "en_US_POSIX"))
    }
}

extension Wiring {
    func reports(on db: any Database) -> ReportService { ReportService(db: db, wiring: self) }
}
