@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Analytics read from the networks themselves: a published post's likes, reposts, replies and
/// quotes arrive from Mastodon and Bluesky, are read again on a schedule that slows as the post
/// ages and stops after 90 days, stop for a deleted post, never believe a hostile number; each
/// channel's followers are kept once a day; refused credentials mark the channel.
/// (`MetricsTests` is `/metrics`, Prometheus' view of the server itself.)
@Suite struct PostMetricsTests {
    /// Ana, her channel, one post published there now; returns the post's id and its delivery.
    private static func published(
        _ app: Application, _ ana: Member, channel: String, text: String = "Rye is back on Tuesday"
    ) async throws -> (post: String, delivery: Delivery) {
        let post = try await app.createPost(ana, #"{"text": "\#(text)", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
        let postID = try #require(post["id"] as? String)
        try await app.publishDueDeliveries()
        let delivery = try #require(try await Delivery.query(on: app.db).filter(\.$post.$id == UUID(uuidString: postID)!).first())
        #expect(delivery.state == .published)
        // A delivery's Bluesky record key is made from the moment it was made: with a clock
        // that stands still, two posts could be given the same one.
        (app.wiring.clock as? ManualClock)?.advance(by: 1)
        return (postID, delivery)
    }

    private static func row(_ app: Application, _ delivery: Delivery) async throws -> DeliveryMetrics {
        try #require(try await DeliveryMetrics.find(delivery.requireID(), on: app.db))
    }

    private static func followers(_ app: Application, _ channel: String) async throws -> [String: Int] {
        let rows = try await (app.db as! any SQLDatabase).raw("SELECT day, followers FROM channel_followers WHERE channel_id = \(bind: UUID(uuidString: channel)!)").all()
        var days: [String: Int] = [:]
        for row in rows { days[try row.decode(column: "day", as: String.self)] = try row.decode(column: "followers", as: Int.self) }
        return days
    }

    @Test(arguments: TestDatabase.all)
    func publishedPostsCountsArriveFromMastodonAndBluesky(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    // setup
                    let clock = ManualClock()
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    let toot = try await Self.published(app, ana, channel: try await app.connectMastodon(ana, mastodon))
                    let skeet = try await Self.published(app, ana, channel: try await app.connectBluesky(ana, bluesky))
                    try await app.refreshDueMetrics()
                    #expect(try await app.deliveryMetrics(of: toot.post, ana) == nil, "nothing is read in the post's first hour")
                    mastodon.setCounts(of: try #require(toot.delivery.remoteID), likes: .int(7), reblogs: .int(3), replies: .int(2), quotes: .int(1))
                    bluesky.setCounts(of: try #require(skeet.delivery.remoteID), likes: .int(11), reposts: .int(4), replies: .int(5), quotes: .int(6))

                    // MUT
                    clock.advance(by: 3_601)
                    try await app.refreshDueMetrics()

                    // validate
                    let fromMastodon = try #require(try await app.deliveryMetrics(of: toot.post, ana))
                    #expect(fromMastodon["likes"] as? Int == 7)
                    #expect(fromMastodon["reposts"] as? Int == 3)
                    #expect(fromMastodon["replies"] as? Int == 2)
                    #expect(fromMastodon["quotes"] as? Int == 1)
                    #expect(fromMastodon["impressions"] is NSNull, "Mastodon counts no impressions")
                    #expect(fromMastodon["readAt"] as? String != nil)
                    let fromBluesky = try #require(try await app.deliveryMetrics(of: skeet.post, ana))
                    #expect(fromBluesky["likes"] as? Int == 11)
                    #expect(fromBluesky["reposts"] as? Int == 4)
                    #expect(fromBluesky["replies"] as? Int == 5)
                    #expect(fromBluesky["quotes"] as? Int == 6)
                    #expect(fromBluesky["impressions"] is NSNull)
                    #expect(try await Self.row(app, skeet.delivery).reads == 1)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func countsUpdateOnTheNextDueReadingAndNotBefore(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let toot = try await Self.published(app, ana, channel: try await app.connectMastodon(ana, mastodon))
                let id = try #require(toot.delivery.remoteID)
                mastodon.setCounts(of: id, likes: .int(3))
                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()
                #expect(try await app.deliveryMetrics(of: toot.post, ana)?["likes"] as? Int == 3)

                mastodon.setCounts(of: id, likes: .int(5))
                clock.advance(by: 1_800)
                try await app.refreshDueMetrics()
                #expect(try await app.deliveryMetrics(of: toot.post, ana)?["likes"] as? Int == 3, "read hourly in the first day")
                #expect(mastodon.reads(of: id) == 1)

                clock.advance(by: 1_801)
                try await app.refreshDueMetrics()
                #expect(try await app.deliveryMetrics(of: toot.post, ana)?["likes"] as? Int == 5)
                #expect(mastodon.reads(of: id) == 2)
                #expect(try await Self.row(app, toot.delivery).reads == 2)
            }
        }
    }

    @Test func scheduleSlowsWithAgeAndEndsAtNinetyDays() {
        let published = Date(timeIntervalSince1970: 1_798_761_600)
        func gap(afterHours hours: Double) -> TimeInterval? {
            let now = published.addingTimeInterval(hours * 3_600)
            return MetricsSchedule.nextRead(publishedAt: published, after: now).map { $0.timeIntervalSince(now).rounded() }
        }
        let hour: TimeInterval = 3_600, day: TimeInterval = 86_400
        #expect(gap(afterHours: 0) == hour)
        #expect(gap(afterHours: 23) == hour)
        #expect(gap(afterHours: 24) == 6 * hour)
        #expect(gap(afterHours: 6 * 24) == 6 * hour)
        #expect(gap(afterHours: 7 * 24) == day)
        #expect(gap(afterHours: 29 * 24) == day)
        #expect(gap(afterHours: 30 * 24) == 7 * day)
        #expect(gap(afterHours: 88 * 24) == 2 * day, "the last reading falls on the 90th day")
        #expect(gap(afterHours: 90 * 24) == nil)
        #expect(gap(afterHours: 400 * 24) == nil)
        #expect(MetricsSchedule.retry(publishedAt: published, after: published.addingTimeInterval(3_600), failures: 1) == published.addingTimeInterval(3_600 + 900))
        #expect(MetricsSchedule.retry(publishedAt: published, after: published.addingTimeInterval(3_600), failures: 40) == published.addingTimeInterval(3_600 + 86_400))
        #expect(MetricsSchedule.retry(publishedAt: published, after: published.addingTimeInterval(91 * 86_400), failures: 1) == nil)
    }

    @Test(arguments: TestDatabase.all)
    func aPostIsReadLessOftenAsItAgesAndNeverAfterNinetyDays(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let toot = try await Self.published(app, ana, channel: try await app.connectMastodon(ana, mastodon))
                let publishedAt = try #require(toot.delivery.publishedAt)
                try await app.refreshDueMetrics()

                // Each reading at the moment it is due, until there is none.
                var readings: [Date] = []
                while let next = try await Self.row(app, toot.delivery).nextReadAt, readings.count < 200 {
                    clock.set(next)
                    try await app.refreshDueMetrics()
                    let row = try await Self.row(app, toot.delivery)
                    #expect(row.readAt.map { abs($0.timeIntervalSince(next)) < 1 } == true)
                    readings.append(next)
                }
                let ages = readings.map { $0.timeIntervalSince(publishedAt) / 3_600 }
                // Each reading's age with the wait before it, in hours.
                var ageAndWait: [(age: Double, wait: Double)] = []
                for index in ages.indices.dropFirst() { ageAndWait.append((ages[index], ages[index] - ages[index - 1])) }
                func waits(after low: Double, upTo high: Double) -> [Double] {
                    ageAndWait.filter { $0.age > low && $0.age <= high }.map(\.wait)
                }
                #expect(ages.first.map { abs($0 - 1) < 0.01 } == true, "first read an hour after publishing")
                #expect(waits(after: 0, upTo: 24).allSatisfy { abs($0 - 1) < 0.01 })
                #expect(waits(after: 25, upTo: 7 * 24).allSatisfy { abs($0 - 6) < 0.01 })
                #expect(waits(after: 7 * 24 + 6, upTo: 30 * 24).allSatisfy { abs($0 - 24) < 0.01 })
                #expect(waits(after: 31 * 24, upTo: 90 * 24 - 1).allSatisfy { abs($0 - 7 * 24) < 0.01 })
                #expect(ages.last.map { abs($0 - 90 * 24) < 0.01 } == true, "the last reading on the 90th day")
                #expect(readings.count == 80, "24 hourly, 24 six-hourly, 23 daily, 9 weekly or last")
                let reads = mastodon.reads(of: try #require(toot.delivery.remoteID))
                #expect(reads == readings.count)

                clock.advance(by: 60 * 86_400)
                try await app.refreshDueMetrics()
                #expect(mastodon.reads(of: try #require(toot.delivery.remoteID)) == reads, "never read after 90 days")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDeletedPostStopsBeingReadAndKeepsItsLastCounts(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let clock = ManualClock()
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    let toot = try await Self.published(app, ana, channel: try await app.connectMastodon(ana, mastodon))
                    let blueskyChannel = try await app.connectBluesky(ana, bluesky)
                    let skeet = try await Self.published(app, ana, channel: blueskyChannel)
                    let hidden = try await Self.published(app, ana, channel: blueskyChannel, text: "Spelt on Friday")
                    mastodon.setCounts(of: try #require(toot.delivery.remoteID), likes: .int(9))
                    bluesky.setCounts(of: try #require(skeet.delivery.remoteID), likes: .int(8))
                    clock.advance(by: 3_601)
                    try await app.refreshDueMetrics()

                    // MUT
                    mastodon.deleteStatus(try #require(toot.delivery.remoteID))
                    bluesky.deletePost(try #require(skeet.delivery.remoteID))
                    // Still in the repository, only missing from the app view for now: not gone.
                    bluesky.controls.hiddenFromAppView.withLock { _ = $0.insert(hidden.delivery.remoteID!) }
                    clock.advance(by: 3_601)
                    try await app.refreshDueMetrics()

                    // validate
                    for gone in [toot, skeet] {
                        let row = try await Self.row(app, gone.delivery)
                        #expect(row.nextReadAt == nil)
                        #expect(row.lastError?.contains("no longer on") == true)
                        #expect(row.reads == 1)
                    }
                    #expect(try await app.deliveryMetrics(of: toot.post, ana)?["likes"] as? Int == 9, "the last counts are kept")
                    #expect(try await app.deliveryMetrics(of: skeet.post, ana)?["likes"] as? Int == 8)
                    let waiting = try await Self.row(app, hidden.delivery)
                    #expect(waiting.nextReadAt != nil)
                    #expect(waiting.failures == 1)
                    #expect(waiting.lastError?.contains("still has it") == true)

                    let reads = mastodon.reads(of: try #require(toot.delivery.remoteID))
                    clock.advance(by: 7 * 86_400)
                    try await app.refreshDueMetrics()
                    #expect(mastodon.reads(of: try #require(toot.delivery.remoteID)) == reads)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func hostileNumbersAreRefusedAndTheOtherPostsStillRead(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let clock = ManualClock()
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    let mastodonChannel = try await app.connectMastodon(ana, mastodon)
                    let blueskyChannel = try await app.connectBluesky(ana, bluesky)
                    let hostile: [FakeCount] = [.int(-5), .number(1e30), .text("12"), .number(1.5), .int(1_000_000_000_001)]
                    var toots: [(post: String, delivery: Delivery)] = []
                    var skeets: [(post: String, delivery: Delivery)] = []
                    for (index, count) in hostile.enumerated() {
                        let toot = try await Self.published(app, ana, channel: mastodonChannel, text: "Loaf \(index)")
                        mastodon.setCounts(of: toot.delivery.remoteID!, likes: .int(1), reblogs: count)
                        toots.append(toot)
                        let skeet = try await Self.published(app, ana, channel: blueskyChannel, text: "Loaf \(index)")
                        bluesky.setCounts(of: skeet.delivery.remoteID!, likes: count, reposts: .int(1))
                        skeets.append(skeet)
                    }
                    let fine = try await Self.published(app, ana, channel: mastodonChannel, text: "Plain rye")
                    mastodon.setCounts(of: fine.delivery.remoteID!, likes: .int(1_000_000_000_000), reblogs: .null)
                    let fineSkeet = try await Self.published(app, ana, channel: blueskyChannel, text: "Plain rye")
                    bluesky.setCounts(of: fineSkeet.delivery.remoteID!, likes: .int(2))
                    mastodon.controls.followers.withLock { $0 = .int(-1) }
                    bluesky.controls.followers.withLock { $0 = .text("many") }

                    clock.advance(by: 3_601)
                    try await app.refreshDueMetrics()

                    for refused in toots + skeets {
                        let row = try await Self.row(app, refused.delivery)
                        #expect(row.readAt == nil)
                        #expect(row.likes == nil && row.reposts == nil)
                        #expect(row.failures == 1)
                        #expect(row.lastError?.contains("out of range") == true)
                        #expect(row.nextReadAt != nil, "read again later, less often")
                        #expect(try await app.deliveryMetrics(of: refused.post, ana) == nil)
                    }
                    let largest = try #require(try await app.deliveryMetrics(of: fine.post, ana))
                    #expect(largest["likes"] as? Int == 1_000_000_000_000)
                    #expect(largest["reposts"] is NSNull, "a null count is one the network does not give")
                    #expect(try await app.deliveryMetrics(of: fineSkeet.post, ana)?["likes"] as? Int == 2)
                    #expect(try await Self.followers(app, mastodonChannel).isEmpty)
                    #expect(try await Self.followers(app, blueskyChannel).isEmpty)
                    let states = try await MetricsReaderState.query(on: app.db).all()
                    #expect(states.count == 2)
                    #expect(states.allSatisfy { $0.lastError?.hasPrefix(MetricsService.followersProblem) == true })
                    let channels = try await App.Channel.query(on: app.db).all()
                    #expect(channels.allSatisfy { $0.status == .active })
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func followersAreKeptOnceADay(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let clock = ManualClock(Date(timeIntervalSince1970: 1_798_761_600 + 20 * 3_600))  // 2027-01-01 20:00 UTC
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    let mastodonChannel = try await app.connectMastodon(ana, mastodon)
                    let blueskyChannel = try await app.connectBluesky(ana, bluesky)
                    try await app.refreshDueMetrics()
                    #expect(try await Self.followers(app, mastodonChannel) == ["2027-01-01": 12])
                    #expect(try await Self.followers(app, blueskyChannel) == ["2027-01-01": 40])

                    mastodon.controls.followers.withLock { $0 = .int(15) }
                    bluesky.controls.followers.withLock { $0 = .int(41) }
                    clock.advance(by: 2 * 3_600)
                    try await app.refreshDueMetrics()
                    #expect(try await Self.followers(app, mastodonChannel) == ["2027-01-01": 12], "read once a day")

                    clock.advance(by: 2 * 3_600 + 1)
                    try await app.refreshDueMetrics()
                    #expect(try await Self.followers(app, mastodonChannel) == ["2027-01-01": 12, "2027-01-02": 15])
                    #expect(try await Self.followers(app, blueskyChannel) == ["2027-01-01": 40, "2027-01-02": 41])

                    let response = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(blueskyChannel)/followers", as: ana)
                    #expect(response.status == .ok, "\(response.text)")
                    let days = try #require(try response.json()["days"] as? [[String: Any]])
                    #expect(days.map { $0["day"] as? String } == ["2027-01-01", "2027-01-02"])
                    #expect(days.map { $0["followers"] as? Int } == [40, 41])
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func refusedCredentialsMarkTheChannel(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channelID = try await app.connectMastodon(ana, mastodon)
                let toot = try await Self.published(app, ana, channel: channelID)
                try await app.refreshDueMetrics()
                mastodon.controls.revoke("good-token")

                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()

                let channel = try #require(try await App.Channel.find(UUID(uuidString: channelID), on: app.db))
                #expect(channel.status == .needsReconnect)
                #expect(channel.problem?.contains("refused the access token") == true)
                let row = try await Self.row(app, toot.delivery)
                #expect(row.readAt == nil)
                #expect(row.nextReadAt != nil, "read once the account is connected again")
                let state = try #require(try await MetricsReaderState.query(on: app.db).first())
                #expect(state.failures == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailedReadingKeepsWhyAndBacksOff(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let toot = try await Self.published(app, ana, channel: try await app.connectMastodon(ana, mastodon))
                let id = try #require(toot.delivery.remoteID)
                mastodon.setCounts(of: id, likes: .int(4))
                mastodon.controls.statusReadFailures.withLock { $0 = [.internalServerError] }

                // MUT
                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()

                // validate
                let failed = try await Self.row(app, toot.delivery)
                #expect(failed.readAt == nil)
                #expect(failed.lastError?.contains("Something went wrong on our end") == true)
                let state = try #require(try await MetricsReaderState.query(on: app.db).first())
                #expect(state.failures == 1)
                #expect(state.nextRunAt == clock.now().addingTimeInterval(120), "a minute, doubling")

                clock.advance(by: 60)
                try await app.refreshDueMetrics()
                #expect(mastodon.reads(of: id) == 1, "not asked again before the backoff ends")

                clock.advance(by: 61)
                try await app.refreshDueMetrics()
                let read = try await Self.row(app, toot.delivery)
                #expect(read.likes == 4)
                #expect(read.lastError == nil)
                #expect(try #require(try await MetricsReaderState.query(on: app.db).first()).failures == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func blueskyIsAskedTwentyFivePostsAtATime(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { bluesky in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channelID = try await app.connectBluesky(ana, bluesky)
                var posts: [String] = []
                for index in 0..<27 {
                    let post = try await app.createPost(ana, #"{"text": "Loaf number \#(index)", "channels": ["\#(channelID)"], "schedule": {"now": true}}"#)
                    posts.append(try #require(post["id"] as? String))
                    // A delivery's Bluesky record key is made from the moment it was made: a
                    // clock that stands still would give some of them the same one.
                    clock.advance(by: 1)
                }
                try await app.publishDueDeliveries()
                for uri in bluesky.ourPosts.map(\.uri) { bluesky.setCounts(of: uri, likes: .int(3)) }

                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()

                #expect(bluesky.controls.getPostsCalls.withLock { $0 } == [25, 2])
                for post in posts {
                    #expect(try await app.deliveryMetrics(of: post, ana)?["likes"] as? Int == 3)
                }
            }
        }
    }
}

extension PostMetricsTests {
    /// A channel's refresh job given up (its workers died under it too often) is queued again
    /// by the worker's sweep: its counts do not stop.
    @Test(arguments: TestDatabase.all)
    func aChannelWhoseRefreshWasLostIsReadAgain(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                _ = try await app.connectMastodon(ana, mastodon)
                #expect(try await app.refreshDueMetrics() == 1)
                try await (app.db as! any SQLDatabase).raw("DELETE FROM jobs WHERE kind = \(bind: MetricsService.refreshJob)").run()
                clock.advance(by: 2 * 3_600)
                #expect(try await app.refreshDueMetrics() == 1, "the sweep queued the overdue channel again")
            }
        }
    }
}

extension PostMetricsTests {
    /// The databases keep microseconds: a time between two comes back a hair later than it was
    /// written. The channel's first run must still find its followers due and read them, not
    /// queue itself again at once, for ever (a hang seen in CI now and then).
    @Test(arguments: TestDatabase.all)
    func aClockBetweenMicrosecondsReadsTheFollowersOnce(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date(timeIntervalSince1970: 1_798_761_600 + 20 * 3_600 + 0.000_000_7))  // rounds up to the next microsecond
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                #expect(try await app.refreshDueMetrics() == 1)
                #expect(try await Self.followers(app, channel) == ["2027-01-01": 12])
            }
        }
    }
}
