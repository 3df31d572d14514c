import Foundation
import Vapor

/// The Reports page: a period, the charts with a table beside each, and every table as CSV.
enum ReportPages {
    /// One part of the page: its charts (SVG, drawn here) and the table with their numbers.
    struct Section: Encodable {
        var id: String
        var heading: String
        var intro: String
        var charts: [String]
        var table: ReportTable
        /// Rows left out of the page's table (all are in its CSV).
        var more: Int = 0
    }

    struct ReportContext: Encodable {
        var page: PageContext
        var zone: String
        var days: Int?
        var from: String
        var to: String
        /// `from=…&to=…` or `days=…`, for the CSV links.
        var query: String
        var periodText: String
        var problem: String?
        var summary: [Figure]
        var sections: [Section]
    }

    struct Figure: Encodable {
        var label: String
        var value: String
    }

    static let postsShown = 100

    /// The period the page asks for: `days` (7, 30, 90), or `from` and `to` as days in the
    /// viewer's zone, both included; the last 30 days otherwise.
    struct Asked {
        var period: ReportPeriod
        var days: Int?
        var from: String
        var to: String
        var query: String
        var problem: String?
    }

    static func asked(_ req: Request, zone: TimeZone) -> Asked {
        let now = req.wiring.clock.now()
        let dayText = { (date: Date) in DateText.format(date, "yyyy-MM-dd", in: zone, locale: "en_US_POSIX") }
        let fallback = { (days: Int, problem: String?) in
            let period = ReportPeriod.last(days, before: now)
            return Asked(period: period, days: days, from: dayText(period.from), to: dayText(now), query: "days=\(days)", problem: problem)
        }
        if let from = req.query[String.self, at: "from"], let to = req.query[String.self, at: "to"], !from.isEmpty || !to.isEmpty {
            guard let start = midnight(from, in: zone), let end = midnight(to, in: zone, after: 1),
                  let period = try? ReportPeriod(from: start, to: end) else {
                return fallback(ReportPeriod.defaultDays, "Pick a first day on or before the last, at most \(ReportPeriod.longestDays) days apart. Showing the last 30 days.")
            }
            return Asked(period: period, days: nil, from: from, to: to, query: queryString(["from": from, "to": to]))
        }
        let days = req.query[Int.self, at: "days"].flatMap { [7, 30, 90, 365].contains($0) ? $0 : nil } ?? ReportPeriod.defaultDays
        return fallback(days, nil)
    }

    /// `2026-11-01` as the midnight that starts it in `zone`, or starts the day `days` after it.
    static func midnight(_ text: String, in zone: TimeZone, after days: Int = 0) -> Date? {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return nil }
        let pieces = text.split(separator: "-").compactMap { Int($0) }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        // 31 February is not a day: it would have rolled into March.
        guard (2000...2200).contains(pieces[0]), let date = utc.date(from: DateComponents(year: pieces[0], month: pieces[1], day: pieces[2])),
              DateText.format(date, "yyyy-MM-dd", in: utc.timeZone, locale: "en_US_POSIX") == text,
              let day = utc.date(byAdding: .day, value: days, to: date) else { return nil }
        let parts = utc.dateComponents([.year, .month, .day], from: day)
        return LocalTime.instant(year: parts.year!, month: parts.month!, day: parts.day!, hour: 0, minute: 0, in: zone)
    }

    static func zone(_ req: Request) -> TimeZone {
        let name = req.query[String.self, at: "zone"] ?? req.cookies["trestle_zone"]?.string.removingPercentEncoding ?? "UTC"
        return TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")!
    }

    @Sendable static func reports(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let zone = zone(req)
        let asked = asked(req, zone: zone)
        let report = try await req.wiring.reports(on: req.db).report(for: access.workspace, over: asked.period)
        let totals = report.totals
        let summary = [Figure(label: "Published", value: ReportText.count(totals.published)), Figure(label: "Clicks", value: ReportText.count(totals.clicks)),
                       Figure(label: "Leads", value: ReportText.count(totals.leads)), Figure(label: "Sales", value: ReportText.count(totals.sales))]
            + report.currencies.map { Figure(label: "Revenue \($0)", value: ReportText.money(totals.revenueMilli[$0] ?? 0)) }
            + [Figure(label: "Engagement", value: ReportText.count(totals.engagement))]
        let funnel = SVGChart.bars(id: "funnel", title: "From posts to sales",
                                   description: "Published \(totals.published), clicks \(totals.clicks), leads \(totals.leads), sales \(totals.sales).",
                                   [("Published", Int64(totals.published)), ("Clicks", Int64(totals.clicks)), ("Leads", Int64(totals.leads)), ("Sales", Int64(totals.sales))])
        let channelBars = SVGChart.bars(id: "channel-clicks", title: "Clicks per channel",
                                        description: report.channels.map { "\($0.name): \($0.counts.clicks)" }.joined(separator: "; "),
                                        report.channels.map { ($0.name, Int64($0.counts.clicks)) })
        var posts = report.table(named: "posts")!
        let morePosts = max(posts.rows.count - postsShown, 0)
        posts.rows = Array(posts.rows.prefix(postsShown))
        let measures = Set(report.bestTimes.map(\.measure.rawValue)).sorted().joined(separator: " or ")
        let sections = [
            Section(id: "funnel", heading: "From posts to sales",
                    intro: "Clicks are people's (link previews and crawlers are left out); a lead or a sale counts when it came within \(report.attributionDays) days of a click on a post's link.",
                    charts: [funnel], table: report.table(named: "funnel")!),
            Section(id: "channels", heading: "Per channel", intro: "Published counts each channel a post went out on. Engagement is what the networks counted for the posts published in the period.",
                    charts: [channelBars], table: report.table(named: "channels")!),
            Section(id: "best-posts", heading: "Best posts", intro: "The \(Report.bestPostCount) posts with the most clicks, then the most engagement.",
                    charts: [], table: report.table(named: "best-posts")!),
            Section(id: "posts", heading: "Posts", intro: morePosts > 0 ? "The \(postsShown) with the most clicks; all \(report.posts.count) are in the CSV. The total counts them all." : "Every post with a number in the period.",
                    charts: [], table: posts, more: morePosts),
            Section(id: "sources", heading: "Where the posts came from",
                    intro: "Posts made from a feed, from an evergreen item of the library, or written by hand: which of them brought clicks and sales.",
                    charts: [], table: report.table(named: "sources")!),
            Section(id: "best-times", heading: "Best times to post",
                    intro: "What a post published in each hour of the week brought on average (\(measures.isEmpty ? "engagement" : measures)), in each channel's own zone. Darker is better.",
                    charts: report.bestTimes.enumerated().map { SVGChart.heatmap(id: "times-\($0.offset)", $0.element) }, table: report.table(named: "best-times")!),
            Section(id: "followers", heading: "Followers",
                    intro: report.followers.map { "\($0.name): \($0.growth.map { ($0 >= 0 ? "+" : "") + ReportText.count($0) } ?? "no counts yet")" }.joined(separator: "; "),
                    charts: report.followers.enumerated().map { SVGChart.line(id: "followers-\($0.offset)", $0.element) }, table: report.table(named: "followers")!),
        ]
        let context = ReportContext(
            page: try await .load(req, title: "Reports · \(access.workspace.name)", in: access),
            zone: zone.identifier, days: asked.days, from: asked.from, to: asked.to, query: asked.query,
            periodText: "\(DateText.format(asked.period.from, "d MMM yyyy HH:mm", in: zone)) – \(DateText.format(asked.period.to, "d MMM yyyy HH:mm", in: zone)) (\(zone.identifier))",
            problem: asked.problem, summary: summary, sections: sections
        )
        return try await req.page("reports", context, status: asked.problem == nil ? .ok : .unprocessableEntity)
    }

    /// `…/reports/{table}.csv`: one table of the page's period, whole.
    @Sendable static func csv(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        guard let file = req.parameters.get("table"), file.hasSuffix(".csv"), ReportTable.names.contains(String(file.dropLast(4))) else {
            throw AppError.notFound("This report")
        }
        let asked = asked(req, zone: zone(req))
        if let problem = asked.problem { throw AppError.invalid(["from": problem], message: problem) }
        let report = try await req.wiring.reports(on: req.db).report(for: access.workspace, over: asked.period)
        let name = String(file.dropLast(4))
        let response = Response(status: .ok, body: .init(string: ReportCSV.text(of: report.table(named: name)!)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: #"attachment; filename="trestle-\#(name)-\#(asked.from)-\#(asked.to).csv""#)
        return response
    }
}
