@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// The activity feed: every step of a post — drafted, edited, approved, scheduled, published or
/// failed — an answer from the inbox and a channel connected, each once, with who did it; per
/// workspace and per post, narrowed by kind and member, and kept for a year.
@Suite struct ActivityTests {
    @Test(arguments: TestDatabase.all)
    func everyStepOfAPostIsInTheFeedOnceWithWhoDidIt(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                let channel = try await app.connectMastodon(ana, mastodon)
                _ = try await app.api(.PATCH, ws, as: ana, json: #"{"approvalsRequired": 1}"#)

                func step() { clock.advance(by: 1) }
                step()
                let draft = try await app.createPost(ben, #"{"text": "Plum cake Friday\nwith cream", "channels": ["\#(channel)"]}"#)
                let postID = try #require(draft["id"] as? String)
                let post = "\(ws)/posts/\(postID)"
                step()
                #expect(try await app.api(.PATCH, post, as: ben, json: #"{"text": "Plum cake Saturday"}"#).status == .ok)
                step()
                #expect(try await app.api(.PATCH, post, as: ben, json: #"{"channels": ["\#(channel)"]}"#).status == .ok, "no change of what it says")
                step()
                for _ in 0..<2 { #expect(try await app.api(.POST, "\(post)/approvals", as: ana).status == .ok) }
                step()
                #expect(try await app.api(.PATCH, post, as: ben, json: #"{"schedule": {"now": true}}"#).status == .ok)
                step()
                #expect(try await app.publishDueDeliveries() == 1)

                let feed = try await app.api(.GET, "\(ws)/activity", as: ben).jsonArray()
                let steps = feed.map { "\($0["action"] as? String ?? "?") by \($0["actor"] as? String ?? "Trestle")" }
                #expect(steps == [
                    "published by Trestle", "scheduled by ben@example.com", "approved by ana@example.com",
                    "edited by ben@example.com", "drafted by ben@example.com", "connected by ana@example.com",
                ])
                #expect(feed[0]["summary"] as? String == "Plum cake Saturday on \(try #require(try await App.Channel.query(on: app.db).first()).handle)")
                #expect(feed[4]["summary"] as? String == "Plum cake Friday", "a post is named by its first line")
                #expect(feed.dropLast().allSatisfy { $0["post"] as? String == postID })

                let ofPost = try await app.api(.GET, "\(post)/activity", as: ana).jsonArray()
                #expect(ofPost.count == 5)
                let approvals = try await app.api(.GET, "\(ws)/activity?action=approved", as: ben).jsonArray()
                #expect(approvals.compactMap { $0["actor"] as? String } == ["ana@example.com"])
                let bens = try await app.api(.GET, "\(ws)/activity?member=\(try ben.user.requireID().uuidString)", as: ana).jsonArray()
                #expect(bens.compactMap { $0["action"] as? String } == ["scheduled", "edited", "drafted"])
                let older = try await app.api(.GET, "\(ws)/activity?limit=2", as: ana).jsonArray()
                #expect(older.count == 2)
                let stamp = try #require(older.last?["at"] as? String)
                let next = try await app.api(.GET, "\(ws)/activity?limit=2&before=\(stamp)", as: ana).jsonArray()
                #expect(next.compactMap { $0["action"] as? String } == ["approved", "edited"], "the next page goes on where the first ended")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailureAndAnAnswerAreInTheFeed(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                let channel = try await app.connectMastodon(ana, mastodon)
                mastodon.controls.postFailures.withLock { $0 = [.unprocessableEntity] }
                _ = try await app.createPost(ana, #"{"text": "Poppy seed rolls", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                _ = try await app.publishDueDeliveries()
                let failed = try #require(try await app.api(.GET, "\(ws)/activity?action=failed", as: ana).jsonArray().first)
                #expect(failed["actor"] is NSNull)
                #expect((failed["summary"] as? String)?.hasPrefix("Poppy seed rolls on ") == true)
                #expect((failed["summary"] as? String)?.contains("refused") == true, "the reason is in the entry: \(failed["summary"] ?? "")")

                let connected = try #require(try await App.Channel.query(on: app.db).first())
                try await app.db.transaction { db in
                    _ = try await app.wiring.inbox(on: db).take([InboxTests.message("77", kind: .mention, text: "Open on Sunday?")], from: connected)
                }
                let item = try #require(try await InboxItem.query(on: app.db).first())
                #expect(try await app.api(.POST, "\(ws)/inbox/\(try item.requireID().uuidString)/reply", as: ana, json: #"{"text": "From 8 to 12!"}"#).status == .created)
                let answered = try #require(try await app.api(.GET, "\(ws)/activity?action=answered", as: ana).jsonArray().first)
                #expect(answered["actor"] as? String == "ana@example.com")
                #expect((answered["summary"] as? String)?.contains("From 8 to 12!") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFeedKeepsAYearAndRefusesFiltersItDoesNotKnow(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01
            app.wiring.clock = clock
            let ana = try await app.makeMember("ana@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            _ = try await app.createPost(ana, #"{"text": "New year loaves"}"#)
            clock.advance(by: 200 * 86_400)
            _ = try await app.createPost(ana, #"{"text": "Summer tarts"}"#)

            try await Housekeeping(db: app.db).run(now: clock.now().addingTimeInterval(100 * 86_400))
            #expect(try await Activity.query(on: app.db).count() == 2, "both are younger than a year")
            try await Housekeeping(db: app.db).run(now: clock.now().addingTimeInterval(200 * 86_400))
            let kept = try await app.api(.GET, "\(ws)/activity", as: ana).jsonArray()
            #expect(kept.compactMap { $0["summary"] as? String } == ["Summer tarts"], "what is older than a year is gone")

            for query in ["action=baked", "member=ana", "before=yesterday", "limit=0", "limit=201", "post=x"] {
                let refused = try await app.api(.GET, "\(ws)/activity?\(query)", as: ana)
                #expect(refused.status == .unprocessableEntity, "\(query)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFeedAndAPostsActivityAreOnTheirPages(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let draft = try await app.createPost(ben, #"{"text": "Rhubarb <crumble>"}"#)
            let postID = try #require(draft["id"] as? String)
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let feed = try await browser.get("/workspaces/\(ana.workspaceID)/activity")
            #expect(feed.status == .ok)
            #expect(feed.text.contains("<strong>ben@example.com</strong> <span class=\"badge\">drafted</span>"))
            #expect(feed.text.contains("Rhubarb &lt;crumble&gt;"), "what a member wrote is shown as text")
            let none = try await browser.get("/workspaces/\(ana.workspaceID)/activity?action=published")
            #expect(none.text.contains("Nothing yet."))
            let mine = try await browser.get("/workspaces/\(ana.workspaceID)/activity?member=\(try ana.user.requireID().uuidString)")
            #expect(!mine.text.contains("Rhubarb"))
            let wrong = try await browser.get("/workspaces/\(ana.workspaceID)/activity?action=baked")
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.text.contains("field-error"))
            let page = try await browser.get("/workspaces/\(ana.workspaceID)/posts/\(postID)")
            #expect(page.text.contains("<h2>Activity</h2>"))
            #expect(page.text.contains("drafted"))
        }
    }
}
