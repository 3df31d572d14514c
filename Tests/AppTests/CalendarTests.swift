@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// The calendar and the queue: every delivery on its day in the viewer's zone, the channel's
/// time beside it; a dragged post keeps its time of day; a queue put in another order keeps
/// its times.
@Suite struct CalendarTests {
    private static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test(arguments: TestDatabase.all)
    func theWeekShowsEachDeliveryOnItsDayInTheViewersZone(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                // Monday 7 December 2026.
                app.wiring.clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                // 23:30 UTC on Tuesday is already Wednesday in Berlin.
                _ = try await app.createPost(ana, #"{"text": "Late-night rye", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-08T23:30:00Z"}}"#)
                _ = try await app.createPost(ana, #"{"text": "Pie next week", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-15T10:00:00Z"}}"#)
                let eve = try await app.makeMember("eve@example.com")
                let evesChannel = try await app.connectMastodon(eve, mastodon)
                _ = try await app.createPost(eve, #"{"text": "A post of Eve", "channels": ["\#(evesChannel)"], "schedule": {"at": "2026-12-09T10:00:00Z"}}"#)

                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let week = try await browser.get("/workspaces/\(ana.workspaceID)/calendar?zone=Europe/Berlin&date=2026-12-08")
                #expect(week.status == .ok)
                let wednesday = try #require(week.text.range(of: #"data-day="2026-12-09""#))
                let thursday = try #require(week.text.range(of: #"data-day="2026-12-10""#))
                let onWednesday = week.text[wednesday.upperBound..<thursday.lowerBound]
                #expect(onWednesday.contains("<time>00:30</time> Late-night rye"), "Berlin's Wednesday 00:30")
                #expect(onWednesday.contains("Tue 18:30 America/New_York"), "the channel's own time beside it")
                #expect(!week.text.contains("Pie next week"))
                #expect(!week.text.contains("A post of Eve"), "another workspace's posts are not here")

                let month = try await browser.get("/workspaces/\(ana.workspaceID)/calendar?view=month&zone=UTC&date=2026-12-01")
                #expect(month.text.contains("December 2026"))
                #expect(month.text.contains("Late-night rye") && month.text.contains("Pie next week"))
            }
        }
    }

    @Test func aBusyDayShowsAFewAndSaysHowManyMore() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                app.wiring.clock = ManualClock(Self.utc("2026-12-01T08:00:00Z"))
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                for minute in 0..<10 {
                    _ = try await app.createPost(ana, #"{"text": "Busy \#(minute)", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-03T10:\#(String(format: "%02d", minute)):00Z"}}"#)
                }
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let month = try await browser.get("/workspaces/\(ana.workspaceID)/calendar?view=month&zone=UTC&date=2026-12-01")
                #expect(month.text.contains("Busy 3") && !month.text.contains("Busy 4"))
                #expect(month.text.contains("+6 more"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDraggedPostKeepsItsTimeOfDayAndGoesOutThen(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let id = try #require(try await app.createPost(ana, #"{"text": "Stollen", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-10T09:15:00Z"}}"#)["id"] as? String)
                let delivery = try #require(try await app.deliveries(of: id, ana).first?["id"] as? String)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                try await browser.get("/workspaces/\(ana.workspaceID)/calendar")
                let moved = try await browser.post("/workspaces/\(ana.workspaceID)/deliveries/\(delivery)/move", ["day": "2026-12-08", "zone": "Europe/Berlin"])
                #expect(moved.status == .noContent)
                #expect(try await app.deliveries(of: id, ana).first?["scheduledAt"] as? String == "2026-12-08T09:15:00Z", "10:15 in Berlin, as before")

                clock.set(Self.utc("2026-12-08T09:16:00Z"))
                try await app.publishDueDeliveries()
                #expect(mastodon.controls.statuses.withLock { $0.map(\.text) } == ["Stollen"])
                let again = try await browser.post("/workspaces/\(ana.workspaceID)/deliveries/\(delivery)/move", ["day": "2026-12-12", "zone": "Europe/Berlin"])
                #expect(again.status == .conflict, "a published post stays where it went out")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func reorderingAQueueSwapsTimesNotSlots(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                app.wiring.clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let first = try #require(try await app.createPost(ana, #"{"text": "First", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-08T14:00:00Z"}}"#)["id"] as? String)
                let second = try #require(try await app.createPost(ana, #"{"text": "Second", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-09T14:00:00Z"}}"#)["id"] as? String)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let queue = try await browser.get("/workspaces/\(ana.workspaceID)/channels/\(channel)/queue")
                #expect(queue.text.contains("Tue 8 Dec 09:00") && queue.text.contains("Wed 9 Dec 09:00"), "in the channel's own zone")
                let secondDelivery = try #require(try await app.deliveries(of: second, ana).first?["id"] as? String)
                let reordered = try await browser.post("/workspaces/\(ana.workspaceID)/channels/\(channel)/queue/\(secondDelivery)/earlier")
                #expect(reordered.status == .seeOther)
                #expect(try await app.deliveries(of: second, ana).first?["scheduledAt"] as? String == "2026-12-08T14:00:00Z")
                #expect(try await app.deliveries(of: first, ana).first?["scheduledAt"] as? String == "2026-12-09T14:00:00Z")
                let sideways = try await browser.post("/workspaces/\(ana.workspaceID)/channels/\(channel)/queue/\(secondDelivery)/sideways")
                #expect(sideways.status == .notFound, "only earlier or later")
                #expect(try await app.deliveries(of: second, ana).first?["scheduledAt"] as? String == "2026-12-08T14:00:00Z", "nothing moved")
            }
        }
    }
    @Test(arguments: TestDatabase.all)
    func aMonthSeenAgainShowsWhatChangedSinceAtOnce(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                _ = try await app.createPost(ana, #"{"text": "Stollen", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-07T09:00:00Z"}}"#)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let month = "/workspaces/\(ana.workspaceID)/calendar?view=month&zone=UTC&date=2026-12-01"
                #expect(try await browser.get(month).text.contains("state-scheduled"))

                // Published by this process's worker, and a post added: both at once, no waiting.
                clock.set(Self.utc("2026-12-07T09:01:00Z"))
                try await app.publishDueDeliveries()
                _ = try await app.createPost(ana, #"{"text": "Lebkuchen", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-20T09:00:00Z"}}"#)
                let again = try await browser.get(month).text
                #expect(again.contains("state-published"))
                #expect(again.contains("Lebkuchen"))
            }
        }
    }

    @Test func aChangeByAnotherProcessShowsWithinSeconds() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                _ = try await app.createPost(ana, #"{"text": "Stollen", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-09T09:00:00Z"}}"#)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let month = "/workspaces/\(ana.workspaceID)/calendar?view=month&zone=UTC&date=2026-12-01"
                #expect(try await browser.get(month).text.contains("Stollen"))

                // A worker of its own moves it, writing the database directly.
                try await (app.db as! any SQLDatabase).raw("UPDATE deliveries SET scheduled_at = \(bind: Self.utc("2027-01-05T09:00:00Z"))").run()
                clock.advance(by: CalendarCache.maximumAge + 1)
                #expect(!(try await browser.get(month).text.contains("Stollen")))
            }
        }
    }
    @Test func aPostsTextIsEscapedOnTheCalendar() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                app.wiring.clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                _ = try await app.createPost(ana, #"{"text": "<script>alert('x')</script> \"Rye\" & <b>bread</b>", "channels": ["\#(channel)"], "schedule": {"at": "2026-12-09T09:00:00Z"}}"#)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                for view in ["week", "month"] {
                    let page = try await browser.get("/workspaces/\(ana.workspaceID)/calendar?view=\(view)&zone=UTC&date=2026-12-09").text
                    #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;Rye&quot; &amp; &lt;b&gt;bread&lt;/b&gt;"))
                    #expect(!page.contains("<script>alert") && !page.contains("<b>bread"))
                }
            }
        }
    }
}
