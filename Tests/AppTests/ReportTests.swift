@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Reports: totals are the sum of their rows, and the API, the page and the CSV files say the
/// same; only people's clicks, only conversions within the window, only the workspace's own;
/// hostile names stay text; hours of the week are the channel's own across a change of clocks.
@Suite struct ReportTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test(arguments: TestDatabase.all)
    func totalsAreTheSumOfTheRowsAndTheAPIThePageAndTheCSVSayTheSame(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            // setup: November 2026, two channels, three posts; Eve's workspace beside Ana's.
            app.wiring.clock = ManualClock(Self.utc("2026-12-01T00:00:00Z"))
            let ana = try await app.makeMember("ana@example.com")
            let seed = ReportSeed(app: app, workspace: ana.workspace)
            let mastodon = try await seed.channel("@bakery@social.example", zone: "Europe/Berlin")
            let bluesky = try await seed.channel("bakery.bsky.social", zone: "UTC")
            let rye = try await seed.post("Rye is back\nsecond line")
            let pie = try await seed.post("Pie on Friday")
            let old = try await seed.post("An October post")
            let ryeOnMastodon = try await seed.delivery(rye, on: mastodon, at: "2026-11-03T09:00:00Z", metrics: (likes: 5, reposts: 2, replies: 1, quotes: 0))
            let ryeOnBluesky = try await seed.delivery(rye, on: bluesky, at: "2026-11-03T09:00:00Z")
            let pieOnMastodon = try await seed.delivery(pie, on: mastodon, at: "2026-11-10T15:00:00Z", metrics: (likes: 10, reposts: 0, replies: 0, quotes: 1))
            let oldOnBluesky = try await seed.delivery(old, on: bluesky, at: "2026-10-20T09:00:00Z", metrics: (likes: 99, reposts: 0, replies: 0, quotes: 0))
            let ryeLink = try await seed.link(ryeOnMastodon)
            let ryeBlueskyLink = try await seed.link(ryeOnBluesky)
            let pieLink = try await seed.link(pieOnMastodon)
            let oldLink = try await seed.link(oldOnBluesky)
            let handMade = try await seed.link(nil)
            var ryeClicks: [String] = []
            for minute in 0..<4 { ryeClicks.append(try await seed.click(ryeLink, at: "2026-11-03T10:0\(minute):00Z")) }
            _ = try await seed.click(ryeLink, at: "2026-11-03T10:05:00Z", byFetcher: true)
            _ = try await seed.click(ryeBlueskyLink, at: "2026-11-04T10:00:00Z")
            let pieClick = try await seed.click(pieLink, at: "2026-11-11T10:00:00Z")
            // An October post clicked in November counts in November; its October click does not.
            let oldClick = try await seed.click(oldLink, at: "2026-11-02T10:00:00Z")
            let octoberClick = try await seed.click(oldLink, at: "2026-10-25T10:00:00Z")
            _ = try await seed.click(handMade, at: "2026-11-05T10:00:00Z")
            // Within the 7-day window: counted. Eight days after the click: not.
            try await seed.conversion(.sale, click: ryeClicks[0], value: 42_500, currency: "EUR", at: "2026-11-04T10:00:00Z")
            try await seed.conversion(.lead, click: ryeClicks[1], at: "2026-11-03T11:00:00Z")
            try await seed.conversion(.sale, click: ryeClicks[2], value: 1_000, currency: "EUR", at: "2026-11-11T10:01:00Z")
            try await seed.conversion(.sale, click: pieClick, value: 12_345, currency: "USD", at: "2026-11-12T10:00:00Z")
            try await seed.conversion(.sale, click: oldClick, value: 5_000, currency: "EUR", at: "2026-11-03T10:00:00Z")
            // A sale in November from an October click within the window is November's.
            try await seed.conversion(.sale, click: octoberClick, value: 2_000, currency: "EUR", at: "2026-11-01T10:00:00Z")
            try await seed.followers(bluesky, ["2026-10-31": 90, "2026-11-01": 100, "2026-11-15": 120, "2026-11-30": 131, "2026-12-01": 500])

            let eve = try await app.makeMember("eve@example.com")
            let evesSeed = ReportSeed(app: app, workspace: eve.workspace)
            let evesChannel = try await evesSeed.channel("@eve@social.example", zone: "UTC")
            let evesLink = try await evesSeed.link(try await evesSeed.delivery(try await evesSeed.post("Eve's post"), on: evesChannel, at: "2026-11-03T09:00:00Z"))
            let evesClick = try await evesSeed.click(evesLink, at: "2026-11-03T10:00:00Z")
            try await evesSeed.conversion(.sale, click: evesClick, value: 999_000, currency: "EUR", at: "2026-11-03T11:00:00Z")
            // Eve reporting a sale against Ana's click is Eve's conversion, not Ana's sale.
            try await evesSeed.conversion(.sale, click: ryeClicks[3], value: 777_000, currency: "EUR", at: "2026-11-03T11:00:00Z")

            // MUT
            let period = try ReportPeriod(from: Self.utc("2026-11-01T00:00:00Z"), to: Self.utc("2026-12-01T00:00:00Z"))
            let report = try await app.wiring.reports(on: app.db).report(for: ana.workspace, over: period)

            // validate: the rows add up to the totals, and the totals are what happened.
            var byChannel = Report.Counts(), byPost = Report.Counts()
            report.channels.forEach { byChannel += $0.counts }
            report.posts.forEach { byPost += $0.counts }
            #expect(byChannel == report.totals)
            #expect(byPost == report.totals)
            #expect(report.totals == Report.Counts(published: 3, clicks: 7, leads: 1, sales: 4, revenueMilli: ["EUR": 49_500, "USD": 12_345], engagement: 19))
            let ryeRow = try #require(report.posts.first)
            #expect(ryeRow.excerpt == "Rye is back")
            #expect(ryeRow.counts == Report.Counts(published: 2, clicks: 5, leads: 1, sales: 1, revenueMilli: ["EUR": 42_500], engagement: 8))
            #expect(report.posts.map(\.excerpt) == ["Rye is back", "Pie on Friday", "An October post"], "most clicks, then most engagement")
            #expect(report.channels.map(\.name) == ["@bakery@social.example", "bakery.bsky.social"])
            let growth = try #require(report.followers.first { $0.channelID == bluesky.id })
            #expect(growth.first == 100 && growth.last == 131 && growth.series.count == 3)

            // The API, the page and each CSV file show the same numbers.
            let api = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/reports?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", as: ana)
            #expect(api.status == .ok, "\(api.text)")
            let json = try api.json()
            let totals = try #require(json["totals"] as? [String: Any])
            #expect(totals["clicks"] as? Int == 7 && totals["sales"] as? Int == 4 && totals["leads"] as? Int == 1 && totals["published"] as? Int == 3)
            #expect((totals["revenue"] as? [String: Any])?["EUR"] as? Double == 49.5)
            #expect((totals["revenue"] as? [String: Any])?["USD"] as? Double == 12.345)
            let apiChannels = try #require(json["channels"] as? [[String: Any]])
            #expect(apiChannels.compactMap { ($0["counts"] as? [String: Any])?["clicks"] as? Int }.reduce(0, +) == 7)
            #expect((json["posts"] as? [[String: Any]])?.count == 3)
            #expect((json["bestTimes"] as? [[String: Any]])?.count == 2)

            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let page = try await browser.get("/workspaces/\(ana.workspaceID)/reports?from=2026-11-01&to=2026-11-30&zone=UTC")
            #expect(page.status == .ok)
            #expect(page.text.contains("<tfoot><tr><td>Total</td><td>3</td><td>7</td><td>1</td><td>4</td><td>49.50</td><td>12.345</td><td>19</td></tr></tfoot>"))
            #expect(page.text.contains(#"role="img""#) && page.text.contains("From posts to sales"))
            #expect(!page.text.contains("Eve&#39;s post") && !page.text.contains("Eve's post"), "another workspace's data is not here")
            let csv = try await browser.get("/workspaces/\(ana.workspaceID)/reports/channels.csv?from=2026-11-01&to=2026-11-30&zone=UTC")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.text.hasPrefix("Channel,Published,Clicks,Leads,Sales,Revenue EUR,Revenue USD,Engagement\r\n"))
            #expect(csv.text.hasSuffix("Total,3,7,1,4,49.50,12.345,19\r\n"))
            let posts = try await browser.get("/workspaces/\(ana.workspaceID)/reports/posts.csv?from=2026-11-01&to=2026-11-30&zone=UTC")
            #expect(posts.text.contains("Rye is back,\(try rye.requireID().uuidString.lowercased()),2,5,1,1,42.50,0.00,8\r\n"))
            for table in ReportTable.names {
                #expect(try await browser.get("/workspaces/\(ana.workspaceID)/reports/\(table).csv?days=30").status == .ok, "\(table)")
            }
            #expect(try await browser.get("/workspaces/\(ana.workspaceID)/reports/secrets.csv").status == .notFound)
            #expect(try await browser.get("/workspaces/\(eve.workspaceID)/reports").status == .notFound, "another workspace's report is a 404")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBadPeriodIsRefusedWithTheDocumentedError(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let reports = "/api/v1/workspaces/\(ana.workspaceID)/reports"
            for (query, field) in [("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from"), ("from=2025-01-01T00:00:00Z&to=2026-11-01T00:00:00Z", "to"),
                                   ("from=yesterday", "from"), ("to=2026-13-45T00:00:00Z", "to"), ("from=2026-11-01", "from")] {
                let answer = try await app.api(.GET, "\(reports)?\(query)", as: ana)
                #expect(answer.status == .unprocessableEntity, "\(query)")
                #expect(try answer.apiError().fields.keys.contains(field), "\(query)")
            }
            let fine = try await app.api(.GET, "\(reports)?from=2026-11-01T00:00:00.123%2B01:00&to=2026-11-30T00:00:00Z", as: ana)
            #expect(fine.status == .ok, "\(fine.text)")
            #expect(try await app.api(.GET, reports, as: ana).status == .ok, "the last 30 days")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let page = try await browser.get("/workspaces/\(ana.workspaceID)/reports?from=2026-11-30&to=2026-11-01")
            #expect(page.status == .unprocessableEntity)
            #expect(page.text.contains(#"id="period-error""#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func hoursOfTheWeekAreTheChannelsOwnAcrossAChangeOfClocks(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let seed = ReportSeed(app: app, workspace: ana.workspace)
            let newYork = try await seed.channel("@shop@social.example", zone: "America/New_York")
            // Friday 09:00 in New York before (UTC−5) and after (UTC−4) the clocks moved on 8 March 2026.
            let before = try await seed.delivery(try await seed.post("Before"), on: newYork, at: "2026-03-06T14:00:00Z")
            let after = try await seed.delivery(try await seed.post("After"), on: newYork, at: "2026-03-13T13:00:00Z")
            _ = try await seed.click(try await seed.link(before), at: "2026-03-06T15:00:00Z")
            for _ in 0..<3 { _ = try await seed.click(try await seed.link(after), at: "2026-03-13T15:00:00Z") }
            let period = try ReportPeriod(from: Self.utc("2026-03-01T00:00:00Z"), to: Self.utc("2026-03-31T00:00:00Z"))
            let report = try await app.wiring.reports(on: app.db).report(for: ana.workspace, over: period)
            let times = try #require(report.bestTimes.first)
            #expect(times.measure == .clicks, "no network counts yet: clicks")
            let friday = 4
            #expect(times.cells[friday * 24 + 9].posts == 2)
            #expect(times.cells[friday * 24 + 9].total == 4)
            #expect(times.average(day: friday, hour: 9) == 2)
            #expect(times.cells.map(\.posts).reduce(0, +) == 2, "nothing anywhere else")
        }
    }

    @Test(arguments: TestDatabase.all)
    func hostileNamesStayTextInTheChartsThePageAndTheCSV(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let now = Date()
            app.wiring.clock = ManualClock(now)
            let ana = try await app.makeMember("ana@example.com")
            let seed = ReportSeed(app: app, workspace: ana.workspace)
            let hostile = try await seed.channel("<script>alert(1)</script>", zone: "UTC")
            let post = try await seed.post(#"=HYPERLINK("https://evil.example","click"), "quoted""#)
            let delivery = try await seed.delivery(post, on: hostile, at: ISO8601DateFormatter().string(from: now.addingTimeInterval(-86_400)))
            _ = try await seed.click(try await seed.link(delivery), at: ISO8601DateFormatter().string(from: now.addingTimeInterval(-3_600)))
            try await seed.followers(hostile, [DateText.format(now, "yyyy-MM-dd", in: TimeZone(identifier: "UTC")!, locale: "en_US_POSIX"): 10])

            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let page = try await browser.get("/workspaces/\(ana.workspaceID)/reports?days=7")
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.text.contains("Best times to post on &lt;script&gt;"), "the heatmap's title")
            let csv = try await browser.get("/workspaces/\(ana.workspaceID)/reports/posts.csv?days=7")
            #expect(csv.text.contains(#""'=HYPERLINK(""https://evil.example"",""click""), ""quoted""",\#(try post.requireID().uuidString.lowercased()),1,1,0,0,0"#), "\(csv.text)")
        }
    }

    @Test func theHourOfTheWeekIsTheOneACalendarInThatZoneGives() {
        var generator = SystemRandomNumberGenerator()
        for zoneName in ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"] {
            let zone = TimeZone(identifier: zoneName)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for _ in 0..<500 {
                let instant = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_000_000_000, using: &generator)))
                let parts = calendar.dateComponents([.weekday, .hour], from: instant)
                #expect(ReportService.hourOfWeek(instant, in: zone) == ((parts.weekday! + 5) % 7) * 24 + parts.hour!, "\(zoneName) \(instant)")
            }
        }
    }

    @Test func csvCellsAreQuotedAndNeverFormulas() {
        #expect(ReportCSV.cell("plain") == "plain")
        #expect(ReportCSV.cell("a,b") == #""a,b""#)
        #expect(ReportCSV.cell(#"say "hi""#) == #""say ""hi""""#)
        #expect(ReportCSV.cell("two\nlines") == "\"two\nlines\"")
        #expect(ReportCSV.cell("=1+2") == "'=1+2")
        #expect(ReportCSV.cell("+33 1 23") == "'+33 1 23")
        #expect(ReportCSV.cell("-5") == "'-5")
        #expect(ReportCSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(ReportCSV.cell("=A1,B1") == #""'=A1,B1""#)
        let table = ReportTable(name: "t", caption: "T", header: ["a", "b"], rows: [["1", "x,y"]], total: ["Total", "1"])
        #expect(ReportCSV.text(of: table) == "a,b\r\n1,\"x,y\"\r\nTotal,1\r\n")
    }

    @Test func chartsEscapeEveryTextAndNameThemselves() {
        let hostile = #"<b onclick="x">&'"#
        let bars = SVGChart.bars(id: "c\"1", title: hostile, description: hostile, [(hostile, 3), ("b", 0)])
        #expect(!bars.contains("<b onclick"))
        #expect(bars.contains(#"role="img""#) && bars.contains("<title id=") && bars.contains("<desc id="))
        #expect(bars.contains("&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;"))
        let growth = Report.FollowerGrowth(channelID: UUID(), name: hostile, series: [("2026-11-01", 5), ("2026-11-02", 7)])
        let line = SVGChart.line(id: "l", growth)
        #expect(!line.contains("<b onclick") && line.contains("<polyline"))
        let times = Report.BestTimes(channelID: UUID(), name: hostile, zone: "UTC", measure: .clicks, cells: Array(repeating: (1, 2), count: 168))
        let heatmap = SVGChart.heatmap(id: "h", times)
        #expect(!heatmap.contains("<b onclick"))
        #expect(heatmap.components(separatedBy: "<rect").count - 1 == 168)
    }
}

/// Rows written straight into the tables a report reads, as publishing, the redirect and the
/// metrics reader leave them.
struct ReportSeed {
    let app: Application
    let workspace: Workspace
    var sql: any SQLDatabase { app.db as! any SQLDatabase }

    func channel(_ name: String, zone: String) async throws -> App.Channel {
        let channel = App.Channel(id: UUID(), workspaceID: try workspace.requireID(), network: .mastodon, name: name, handle: name,
                              remoteID: UUID().uuidString, serverURL: "https://social.example", timezone: zone)
        channel.sealedCredentials = Data()
        try await channel.create(on: app.db)
        return channel
    }

    func post(_ text: String) async throws -> Post {
        let post = Post(workspaceID: try workspace.requireID(), authorID: nil, text: text, thread: [])
        post.status = .scheduled
        try await post.create(on: app.db)
        return post
    }

    func delivery(_ post: Post, on channel: App.Channel, at instant: String, metrics: (likes: Int64, reposts: Int64, replies: Int64, quotes: Int64)? = nil) async throws -> Delivery {
        let at = ISO8601DateFormatter().date(from: instant)!
        let delivery = try Delivery(postID: post.requireID(), channel: channel, scheduledAt: at, now: at)
        delivery.state = .published
        delivery.publishedAt = at
        try await delivery.create(on: app.db)
        if let metrics {
            try await sql.insert(into: "delivery_metrics").columns("delivery_id", "likes", "reposts", "replies", "quotes", "read_at")
                .values(SQLBind(try delivery.requireID()), SQLBind(metrics.likes), SQLBind(metrics.reposts), SQLBind(metrics.replies), SQLBind(metrics.quotes), SQLBind(at))
                .run()
        }
        return delivery
    }

    /// The delivery's short link, or one made by hand.
    func link(_ delivery: Delivery?) async throws -> ShortLink {
        let link = ShortLink(workspaceID: try workspace.requireID(), code: LinkService.newClickID(), url: "https://shop.example/")
        link.deliveryID = try delivery?.requireID()
        link.postID = delivery?.$post.id
        link.channelID = delivery?.$channel.id
        try await link.create(on: app.db)
        return link
    }

    func click(_ link: ShortLink, at instant: String, byFetcher: Bool = false) async throws -> String {
        let id = LinkService.newClickID()
        try await sql.insert(into: "link_clicks").columns("id", "link_id", "clicked_at", "by_fetcher", "visitor")
            .values(SQLBind(id), SQLBind(try link.requireID()), SQLBind(ISO8601DateFormatter().date(from: instant)!), SQLBind(byFetcher), SQLBind("v"))
            .run()
        return id
    }

    func conversion(_ kind: Conversion.Kind, click: String, value: Int64? = nil, currency: String? = nil, at instant: String) async throws {
        try await sql.insert(into: Conversion.schema).columns("id", "workspace_id", "kind", "order_id", "value_milli", "currency", "click_id", "source", "occurred_at")
            .values(SQLBind(UUID()), SQLBind(try workspace.requireID()), SQLBind(kind.rawValue), SQLBind(UUID().uuidString), SQLBind(value), SQLBind(currency),
                    SQLBind(click), SQLBind("api"), SQLBind(ISO8601DateFormatter().date(from: instant)!))
            .run()
    }

    func followers(_ channel: App.Channel, _ days: [String: Int64]) async throws {
        for (day, count) in days {
            try await sql.insert(into: "channel_followers").columns("channel_id", "day", "followers").values(SQLBind(try channel.requireID()), SQLBind(day), SQLBind(count)).run()
        }
    }
}
