@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Scheduling from the composer, and seeing where each post stands: its page, delivery by
/// delivery, and the dashboard naming what did not go out.
@Suite struct PublishingPagesTests {
    @Test(arguments: TestDatabase.all)
    func postNowFromTheComposerThenSeeItPublished(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                try await browser.get("/workspaces/\(ana.workspaceID)/compose")
                let posted = try await browser.post("/workspaces/\(ana.workspaceID)/posts", ["parts[]": "Bagels are back", "channels[]": channel, "when": "now"])
                #expect(posted.status == .seeOther)
                let location = try #require(posted.location)
                #expect(location.hasPrefix("/workspaces/\(ana.workspaceID)/posts/"), "a scheduled post opens on its own page")
                #expect(try await browser.get(location).text.contains("scheduled"))

                try await app.publishDueDeliveries()
                let page = try await browser.get(location)
                #expect(page.text.contains(#"id="post-status">published"#))
                let status = try #require(mastodon.controls.statuses.withLock { $0.first })
                #expect(page.text.contains("https://bakery.example/@bakery/\(status.id)"), "a link to the post on the network")
                #expect(try await browser.get("/workspaces/\(ana.workspaceID)/posts").text.contains("state-published"))
            }
        }
    }

    @Test func aTimeChosenInTheBrowserIsReadInTheBrowsersZone() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                app.wiring.clock = ManualClock(ISO8601DateFormatter().date(from: "2026-12-01T12:00:00Z")!)
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                try await browser.get("/workspaces/\(ana.workspaceID)/compose")
                let missing = try await browser.post("/workspaces/\(ana.workspaceID)/posts", ["parts[]": "Stollen", "channels[]": channel, "when": "at", "at": ""])
                #expect(missing.status == .unprocessableEntity)
                #expect(missing.text.contains("Choose the day and time to post."))
                let unknown = try await browser.post("/workspaces/\(ana.workspaceID)/posts", ["parts[]": "Stollen", "channels[]": channel, "when": "someday"])
                #expect(unknown.status == .unprocessableEntity, "a button Trestle does not have is not taken as a draft")
                #expect(try await Post.query(on: app.db).count() == 0)
                let scheduled = try await browser.post("/workspaces/\(ana.workspaceID)/posts", [
                    "parts[]": "Stollen", "channels[]": channel, "when": "at", "at": "2026-12-24T09:00", "zone": "Europe/Berlin",
                ])
                #expect(scheduled.status == .seeOther)
                let delivery = try #require(try await Delivery.query(on: app.db).first())
                #expect(delivery.scheduledAt == ISO8601DateFormatter().date(from: "2026-12-24T08:00:00Z"))
                let page = try await browser.get(try #require(scheduled.location))
                #expect(page.text.contains("Thu 24 Dec 03:00 America/New_York"), "the channel's own time beside it")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailedDeliveryIsOnTheDashboardWithItsReasonAndCanBeRetried(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                mastodon.controls.postFailures.withLock { $0 = [.unprocessableEntity] }
                let id = try #require(try await app.createPost(ana, #"{"text": "Soup", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()

                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let dashboard = try await browser.get("/workspaces/\(ana.workspaceID)")
                #expect(dashboard.text.contains("Posts that did not go out"))
                #expect(dashboard.text.contains("Mastodon refused: Validation failed: Text character limit of 500 exceeded"))
                #expect(dashboard.text.contains("/workspaces/\(ana.workspaceID)/posts/\(id)"))

                try await browser.get("/workspaces/\(ana.workspaceID)/posts/\(id)")
                let retried = try await browser.post("/workspaces/\(ana.workspaceID)/posts/\(id)/retry")
                #expect(retried.status == .seeOther)
                try await app.publishDueDeliveries()
                #expect(try await browser.get("/workspaces/\(ana.workspaceID)/posts/\(id)").text.contains(#"id="post-status">published"#))
                #expect(!(try await browser.get("/workspaces/\(ana.workspaceID)").text.contains("Posts that did not go out")))
            }
        }
    }
}
