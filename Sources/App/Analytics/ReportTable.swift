import Foundation

/// A report's table as the page shows it and its CSV export writes it: the very same cells, so
/// the two cannot disagree.
struct ReportTable: Sendable, Encodable {
    /// The name in its export's address: `…/reports/{name}.csv`.
    var name: String
    var caption: String
    var header: [String]
    var rows: [[String]]
    /// The sum of the rows, where adding them up means something.
    var total: [String]?

    static let names = ["funnel", "channels", "posts", "best-posts", "sources", "best-times", "followers"]
}

extension Report {
    /// Every table of the report, in the page's order.
    var tables: [ReportTable] {
        [funnelTable, channelTable, postTable(posts, name: "posts", caption: "Posts"), postTable(bestPosts, name: "best-posts", caption: "Best posts"), sourceTable, bestTimesTable, followerTable]
    }

    func table(named name: String) -> ReportTable? {
        tables.first { $0.name == name }
    }

    private var countHeader: [String] {
        ["Published", "Clicks", "Leads", "Sales"] + currencies.map { "Revenue \($0)" } + ["Engagement"]
    }

    private func cells(_ counts: Counts) -> [String] {
        [String(counts.published), String(counts.clicks), String(counts.leads), String(counts.sales)]
            + currencies.map { ReportText.money(counts.revenueMilli[$0] ?? 0) } + [String(counts.engagement)]
    }

    /// The totals' way from published to sales, as the funnel chart draws it.
    var funnelTable: ReportTable {
        ReportTable(name: "funnel", caption: "From posts to sales", header: ["Step", "Count"],
                    rows: [["Published", String(totals.published)], ["Clicks", String(totals.clicks)], ["Leads", String(totals.leads)], ["Sales", String(totals.sales)]])
    }

    var channelTable: ReportTable {
        ReportTable(name: "channels", caption: "Per channel", header: ["Channel"] + countHeader,
                    rows: channels.map { [$0.name] + cells($0.counts) }, total: ["Total"] + cells(totals))
    }

    private func postTable(_ rows: [PostRow], name: String, caption: String) -> ReportTable {
        ReportTable(name: name, caption: caption, header: ["Post", "Post id"] + countHeader,
                    rows: rows.map { [$0.excerpt, $0.postID.uuidString.lowercased()] + cells($0.counts) },
                    total: name == "posts" ? ["Total", ""] + cells(totals) : nil)
    }

    /// Posts by where they came from: which feed, which evergreen item brought the sales.
    var sourceTable: ReportTable {
        ReportTable(name: "sources", caption: "Where the posts came from", header: ["Source", "Kind", "Id"] + countHeader,
                    rows: sources.map { [$0.name, $0.kind.rawValue, $0.id?.uuidString.lowercased() ?? ""] + cells($0.counts) },
                    total: ["Total", "", ""] + cells(totals))
    }

    /// The hours someone posted in, per channel, in the channel's zone.
    var bestTimesTable: ReportTable {
        var rows: [[String]] = []
        for channel in bestTimes {
            for day in 0..<7 {
                for hour in 0..<24 {
                    guard let average = channel.average(day: day, hour: hour) else { continue }
                    let cell = channel.cells[day * 24 + hour]
                    rows.append([channel.name, channel.zone, ReportText.weekdays[day], String(format: "%02d:00", hour), channel.measure.rawValue,
                                 String(cell.posts), String(cell.total), ReportText.average(average)])
                }
            }
        }
        return ReportTable(name: "best-times", caption: "Best times to post", header: ["Channel", "Zone", "Day", "Hour", "Measure", "Published", "Total", "Per post"], rows: rows)
    }

    var followerTable: ReportTable {
        ReportTable(name: "followers", caption: "Followers", header: ["Channel", "Day", "Followers"],
                    rows: followers.flatMap { channel in channel.series.map { [channel.name, $0.day, String($0.followers)] } })
    }
}

/// CSV as RFC 4180 writes it (CRLF, quotes doubled), safe to open in a spreadsheet: a cell that
/// starts like a formula gets a leading `'`, so a post's text can never run as one.
enum ReportCSV {
    static func text(of table: ReportTable) -> String {
        CSVText.document([table.header] + table.rows + (table.total.map { [$0] } ?? []))
    }

    static func cell(_ value: String) -> String { CSVText.cell(value) }
}
