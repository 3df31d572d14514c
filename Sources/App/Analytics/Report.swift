import Foundation

/// What a workspace's posts brought over a period: per channel and per post, the way from a post
/// to clicks, leads, sales and revenue, what the networks count, the best posts, the best hours
/// to post in each channel's zone, and follower growth. Totals are the sum of the rows.
struct Report: Sendable {
    /// One row's numbers. `published` counts deliveries: a post on three channels is three.
    struct Counts: Sendable, Equatable {
        var published = 0
        /// People's clicks in the period (link previews and crawlers are left out).
        var clicks = 0
        /// Leads and sales in the period, each traced to a click within the attribution window.
        var leads = 0
        var sales = 0
        /// Sales' value per currency, in thousandths.
        var revenueMilli: [String: Int64] = [:]
        /// Likes, reposts, replies and quotes of the deliveries published in the period, as the
        /// networks counted them last (deliveries not read yet add nothing).
        var engagement: Int64 = 0

        static func += (left: inout Counts, right: Counts) {
            left.published += right.published
            left.clicks += right.clicks
            left.leads += right.leads
            left.sales += right.sales
            left.engagement &+= right.engagement
            for (currency, value) in right.revenueMilli { left.revenueMilli[currency, default: 0] &+= value }
        }

        var isEmpty: Bool { self == Counts() }
    }

    struct ChannelRow: Sendable {
        /// Nil for deliveries and links of channels disconnected since.
        var channelID: UUID?
        var name: String
        var counts: Counts
    }

    struct PostRow: Sendable {
        var postID: UUID
        /// The post's first line, shortened.
        var excerpt: String
        var counts: Counts
    }

    /// What the posts made from one feed or one library item brought, or those written by hand.
    struct SourceRow: Sendable {
        enum Kind: String, Sendable { case feed, library, written }
        var kind: Kind
        /// The feed subscription's or library item's id; nil for posts written by hand.
        var id: UUID?
        var name: String
        var counts: Counts
    }

    /// One channel's 7 × 24 hours of the week in its own zone, Monday first.
    struct BestTimes: Sendable {
        enum Measure: String, Sendable { case engagement, clicks }
        var channelID: UUID
        var name: String
        var zone: String
        /// Engagement where the network counts it, clicks otherwise.
        var measure: Measure
        /// `cells[day * 24 + hour]`: deliveries published then, and what they brought.
        var cells: [(posts: Int, total: Int64)]

        /// What a post published in this hour brought on average; nil for an hour nobody posted in.
        func average(day: Int, hour: Int) -> Double? {
            let cell = cells[day * 24 + hour]
            return cell.posts == 0 ? nil : Double(cell.total) / Double(cell.posts)
        }
    }

    struct FollowerGrowth: Sendable {
        var channelID: UUID
        var name: String
        /// `yyyy-MM-dd` in the channel's zone, oldest first.
        var series: [(day: String, followers: Int64)]
        var first: Int64? { series.first?.followers }
        var last: Int64? { series.last?.followers }
        var growth: Int64? { first.flatMap { first in last.map { $0 - first } } }
    }

    var period: ReportPeriod
    var attributionDays: Int
    var channels: [ChannelRow]
    /// Every post with a number in the period, most clicks first.
    var posts: [PostRow]
    /// The posts' numbers by where the posts came from: feeds, library items, written by hand.
    var sources: [SourceRow]
    var totals: Counts
    var bestTimes: [BestTimes]
    var followers: [FollowerGrowth]

    static let bestPostCount = 10

    /// The ten posts with the most clicks, then the most engagement.
    var bestPosts: [PostRow] { Array(posts.prefix(Self.bestPostCount)) }

    /// Every currency with a sale in the period, in alphabetical order.
    var currencies: [String] { totals.revenueMilli.keys.sorted() }
}
