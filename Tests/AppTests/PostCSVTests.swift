@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Posts from a CSV: a dry run shows every row's problems per network and makes nothing; a file
/// with any problem makes nothing; a clean one makes every post, media fetched through the
/// guarded client. And every post out again as CSV, with each delivery's outcome.
@Suite struct PostCSVTests {
    static func importing(_ app: Application, _ csv: String, as member: Member, dryRun: Bool = false) async throws -> TestingHTTPResponse {
        try await app.api(.POST, "/api/v1/workspaces/\(member.workspaceID)/imports/posts\(dryRun ? "?dryRun=true" : "")", as: member,
                          json: csv, contentType: "text/csv")
    }

    @Test(arguments: TestDatabase.all)
    func aDryRunShowsEachRowsProblemsPerNetworkAndAFileWithProblemsMakesNothing(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    _ = try await app.connectMastodon(ana, mastodon)
                    _ = try await app.connectBluesky(ana, bluesky)
                    let channels = try await App.Channel.query(on: app.db).all()
                    let toot = try #require(channels.first { $0.network == .mastodon }).handle
                    let sky = try #require(channels.first { $0.network == .bluesky }).handle
                    let long = String(repeating: "Rye and spelt. ", count: 24)  // 360 characters: Mastodon's 500 take it, Bluesky's 300 do not
                    let csv = """
                        text,channels,time,media_urls\r
                        Fresh rye today,\(toot) \(sky),2030-01-01T09:00:00Z,\r
                        "\(long)","\(toot); \(sky)",2030-01-01T10:00:00Z,\r
                        A draft for later,,,\r
                        Where to?,,2030-01-01T09:00:00Z,\r
                        "Soon, maybe",\(toot),tomorrow,\r
                        Somewhere else,@nobody@nowhere.example,queue,\r
                        Picture,\(toot),queue,http://169.254.169.254/latest/meta-data\r

                        """
                    let dry = try await Self.importing(app, csv, as: ana, dryRun: true)
                    #expect(dry.status == .ok, "\(dry.text)")
                    let rows = try #require(try dry.json()["rows"] as? [[String: Any]])
                    let problems = rows.map { ($0["line"] as? Int ?? 0, ($0["problems"] as? [String] ?? []).joined(separator: " ")) }
                    #expect(problems.map(\.0) == [2, 3, 4, 5, 6, 7, 8])
                    #expect(problems[0].1.isEmpty && problems[2].1.isEmpty)
                    #expect(problems[1].1.hasPrefix("Bluesky"), "only Bluesky refuses the long one: \(problems[1].1)")
                    #expect(problems[3].1.contains("channels"))
                    #expect(problems[4].1.contains("time"))
                    #expect(problems[5].1.contains("no channel @nobody@nowhere.example"))
                    #expect(problems[6].1.contains("media_urls"), "a private address is never fetched: \(problems[6].1)")
                    #expect(try dry.json()["created"] as? [String] == [])
                    #expect(try await Post.query(on: app.db).count() == 0)

                    let refused = try await Self.importing(app, csv, as: ana)
                    #expect(refused.status == .unprocessableEntity)
                    #expect(Set(try refused.apiError().fields.keys) == ["line 3", "line 5", "line 6", "line 7", "line 8"])
                    #expect(try await Post.query(on: app.db).count() == 0, "all or nothing")
                    #expect(try await Delivery.query(on: app.db).count() == 0)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCleanFileMakesEveryPostWithItsMediaAndTheExportShowsOutcomes(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            let files = try await FakeNetworkServer { routes in
                routes.get("loaf.png") { _ in Response(status: .ok, headers: ["Content-Type": "image/png"], body: .init(data: TestMedia.png(width: 1200, height: 800))) }
                routes.get("page.html") { _ in Response(status: .ok, headers: ["Content-Type": "text/html"], body: .init(string: "<p>not a picture</p>")) }
            }
            defer { Task { try? await files.stop() } }
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                _ = try await app.connectMastodon(ana, mastodon)
                let toot = try #require(try await App.Channel.query(on: app.db).first()).handle

                // More addresses than one file may have fetched: refused before any is called.
                let many = Array(repeating: "\(files.baseURL)/loaf.png", count: PostCSV.mostMediaPerFile / 2 + 1).joined(separator: " ")
                let tooMany = try await Self.importing(app, "text,media_urls\nOne,\(many)\nTwo,\(many)\n", as: ana, dryRun: true)
                #expect(tooMany.status == .unprocessableEntity)
                #expect(try tooMany.apiError().fields["file"]?.contains("at most \(PostCSV.mostMediaPerFile)") == true)
                #expect(files.requests.isEmpty)

                let notAPicture = "text,channels,time,media_urls\nLook,\(toot),2030-01-03T09:00:00Z,\(files.baseURL)/page.html\n"
                let refused = try await Self.importing(app, notAPicture, as: ana, dryRun: true)
                #expect(((try refused.json()["rows"] as? [[String: Any]])?.first?["problems"] as? [String])?.first?.contains("media_urls") == true)

                let csv = """
                    TEXT;Channels;Time;Media-URLs
                    "=HYPERLINK(""https://evil.example"")";\(toot);2030-01-01T09:00:00Z;\(files.baseURL)/loaf.png
                    Later that day;\(toot);2030-01-01T17:00:00Z;
                    Just a draft;;;

                    """
                let made = try await Self.importing(app, csv, as: ana)
                #expect(made.status == .created, "\(made.text)")
                #expect((try made.json()["created"] as? [String])?.count == 3)
                let posts = try await Post.query(on: app.db).with(\.$deliveries).sort(\.$createdAt).all()
                #expect(posts.map(\.text) == [#"=HYPERLINK("https://evil.example")"#, "Later that day", "Just a draft"])
                #expect(posts[0].media.count == 1, "the picture was fetched and kept")
                #expect(try await MediaItem.query(on: app.db).first()?.width == 1200)
                #expect(posts.map { $0.deliveries.count } == [1, 1, 0])
                #expect(posts[0].deliveries.first?.scheduledAt == ISO8601DateFormatter().date(from: "2030-01-01T09:00:00Z"))

                // Both fall due now; the network refuses the first it is sent.
                mastodon.controls.postFailures.withLock { $0 = [.unprocessableEntity] }
                let past = Date().addingTimeInterval(-1)
                try await (app.db as! any SQLDatabase).raw("UPDATE deliveries SET scheduled_at = \(bind: past)").run()
                try await (app.db as! any SQLDatabase).raw("UPDATE jobs SET run_at = \(bind: past)").run()
                #expect(try await app.publishDueDeliveries() == 2)

                let export = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/exports/posts.csv", as: ana)
                #expect(export.status == .ok)
                #expect(export.headers.contentType?.subType == "csv")
                let rows = try ConversionCSV.rows(export.text)
                #expect(rows[0] == PostCSV.exportHeader)
                #expect(rows.count == 4)
                #expect(rows[1][4] == #"'=HYPERLINK("https://evil.example")"#, "a formula is written as text")
                let states = Set(rows.dropFirst().map { $0[7] })
                #expect(states.contains("failed") && states.contains("published"), "\(states)")
                #expect(rows.contains { $0[7] == "failed" && $0[11].contains("refused") })
                #expect(rows.contains { $0[7] == "published" && $0[10].hasPrefix("https://") })
                #expect(rows[3][3] == "draft" && rows[3][5].isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFileTrestleCannotReadIsRefusedWhole(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            for csv in ["", "title,channels\nHello,\n", "channels,time\n,queue\n", "text,text\na,b\n", "text\n\"never closed\n", "text\n"] {
                let answer = try await Self.importing(app, csv, as: ana, dryRun: true)
                #expect(answer.status == .unprocessableEntity, "\(csv.debugDescription)")
                #expect(try answer.apiError().fields["file"] != nil, "\(csv.debugDescription)")
            }
            let json = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/imports/posts", as: ana, json: #"{"text": "x"}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(try await Post.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePostsPageChecksImportsAndExports(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let page = "/workspaces/\(ana.workspaceID)/posts"
            #expect(try await browser.get(page).text.contains("Check or import"))
            let broken = "text,time\nHello <b>there</b>,yesterday\nFine,\n"
            let checked = try await browser.postFile(page + "/import", field: "posts", filename: "posts.csv", contents: broken, fields: ["dryRun": "on"])
            #expect(checked.status == .ok)
            #expect(checked.text.contains("Line 2: time:"), "each row's problem is shown")
            let refused = try await browser.postFile(page + "/import", field: "posts", filename: "posts.csv", contents: broken)
            #expect(refused.status == .unprocessableEntity)
            #expect(try await Post.query(on: app.db).count() == 0)
            let imported = try await browser.postFile(page + "/import", field: "posts", filename: "posts.csv", contents: "text\nHello <b>there</b>\nFine\n")
            #expect(imported.status == .ok)
            #expect(imported.text.contains("Imported 2 posts."))
            #expect(imported.text.contains("Hello &lt;b&gt;there&lt;/b&gt;"))
            let export = try await browser.get(page + "/export.csv")
            #expect(export.status == .ok)
            #expect(export.text.contains("Hello <b>there</b>"))
        }
    }
}
