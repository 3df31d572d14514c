import Foundation
import Vapor

/// A report over the API: the same rows and totals as the Reports page and its CSV files.
struct ReportDTO: Content {
    struct Counts: Content {
        var published: Int
        var clicks: Int
        var leads: Int
        var sales: Int
        /// Sales' value per currency.
        var revenue: [String: Decimal]
        var engagement: Int64

        init(_ counts: Report.Counts) {
            published = counts.published
            clicks = counts.clicks
            leads = counts.leads
            sales = counts.sales
            revenue = counts.revenueMilli.mapValues { Decimal($0) / 1_000 }
            engagement = counts.engagement
        }
    }

    struct ChannelRow: Content {
        /// Null for the row of channels disconnected since.
        var channelId: String?
        var name: String
        var counts: Counts
    }

    struct PostRow: Content {
        var postId: String
        var excerpt: String
        var counts: Counts
    }

    struct SourceRow: Content {
        /// `feed`, `library` or `written` (by hand).
        var kind: String
        /// The feed subscription's or the library item's id; null for posts written by hand.
        var id: String?
        var name: String
        var counts: Counts
    }

    struct Hour: Content {
        /// 0 is Monday.
        var day: Int
        var hour: Int
        var published: Int
        var total: Int64
    }

    struct BestTimes: Content {
        var channelId: String
        var name: String
        var zone: String
        var measure: String
        /// The hours of the week someone posted in.
        var hours: [Hour]
    }

    struct Day: Content {
        var day: String
        var followers: Int64
    }

    struct Followers: Content {
        var channelId: String
        var name: String
        var first: Int64?
        var last: Int64?
        var growth: Int64?
        var series: [Day]
    }

    var from: Date
    var to: Date
    var attributionDays: Int
    var totals: Counts
    var channels: [ChannelRow]
    var posts: [PostRow]
    var bestPosts: [PostRow]
    var sources: [SourceRow]
    var bestTimes: [BestTimes]
    var followers: [Followers]

    init(_ report: Report) {
        from = report.period.from
        to = report.period.to
        attributionDays = report.attributionDays
        totals = Counts(report.totals)
        channels = report.channels.map { ChannelRow(channelId: $0.channelID?.uuidString.lowercased(), name: $0.name, counts: Counts($0.counts)) }
        let post = { (row: Report.PostRow) in PostRow(postId: row.postID.uuidString.lowercased(), excerpt: row.excerpt, counts: Counts(row.counts)) }
        posts = report.posts.map(post)
        bestPosts = report.bestPosts.map(post)
        sources = report.sources.map { SourceRow(kind: $0.kind.rawValue, id: $0.id?.uuidString.lowercased(), name: $0.name, counts: Counts($0.counts)) }
        bestTimes = report.bestTimes.map { channel in
            BestTimes(channelId: channel.channelID.uuidString.lowercased(), name: channel.name, zone: channel.zone, measure: channel.measure.rawValue,
                      hours: channel.cells.enumerated().filter { $0.element.posts > 0 }.map { Hour(day: $0.offset / 24, hour: $0.offset % 24, published: $0.element.posts, total: $0.element.total) })
        }
        followers = report.followers.map {
            Followers(channelId: $0.channelID.uuidString.lowercased(), name: $0.name, first: $0.first, last: $0.last, growth: $0.growth,
                      series: $0.series.map { Day(day: $0.day, followers: $0.followers) })
        }
    }
}
