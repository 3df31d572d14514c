@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Publishing to Threads against its loopback fake: a container made for each part — its
/// image or video fetched by Threads at Trestle's signed address, several as a carousel, a
/// thread's parts replying to the part before — readied, then published; an attempt without an
/// answer resumed from its kept container, never sent twice; Threads' failures as the
/// publisher's outcomes; replies in the inbox, answered from it, and insights counted.
@Suite struct ThreadsPublishingTests {
    private static let publicURL = URL(string: "https://trestle.example")!

    private func connectThreads(_ app: Application, _ fake: FakeThreads, _ member: Member) async throws -> String {
        app.useFakeThreads(fake)
        let browser = Browser(app)
        try await browser.logIn(member.user.email, "correct horse 1")
        #expect(try await app.signIn(at: .threads, browser, member).callback.status == .seeOther)
        let channels = try await app.api(.GET, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member).jsonArray()
        return try #require(channels.first { $0["network"] as? String == "threads" }?["id"] as? String)
    }

    @Test(arguments: TestDatabase.all)
    func textMediaACarouselAndAThreadGoThroughContainers(_ database: TestDatabase) async throws {
        try await FakeThreads.with { fake in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectThreads(app, fake, ana)
                let png = TestMedia.png(width: 1200, height: 800, size: 2_000)
                let image = try #require(try await app.upload(png, named: "loaf.png", alt: "A round rye loaf", as: ana).json()["id"] as? String)
                let second = try #require(try await app.upload(TestMedia.png(width: 800, height: 800, size: 900), named: "seeded.png", alt: "A seeded loaf", as: ana).json()["id"] as? String)
                let film = try #require(try await app.upload(TestMedia.mp4(seconds: 20, width: 1280, height: 720), named: "oven.mp4", alt: "The oven", as: ana).json()["id"] as? String)
                let rye = try #require(try await app.createPost(ana, #"{"text": "Rye & spelt today", "thread": ["And a seeded one"], "media": ["\#(image)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                _ = try await app.createPost(ana, #"{"text": "Two loaves", "media": ["\#(image)", "\#(second)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                _ = try await app.createPost(ana, #"{"text": "Into the oven", "media": ["\#(film)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                #expect(try await app.publishDueDeliveries() == 3)

                let containers = fake.controls.containers.withLock { $0 }
                let media = fake.controls.media.withLock { $0 }
                #expect(media.count == 4 && containers.allSatisfy { $0.status == "PUBLISHED" || $0.isCarouselItem })
                // The image: fetched by Threads at Trestle's signed address, which serves that file.
                let photo = try #require(containers.first { $0.text == "Rye & spelt today" })
                #expect(photo.mediaType == "IMAGE" && photo.altText == "A round rye loaf")
                let address = try #require(photo.imageURL)
                #expect(address.hasPrefix("https://trestle.example/media-links/"), "\(address)")
                let served = try await app.sendRequest(.GET, String(address.dropFirst("https://trestle.example".count)))
                #expect(served.status == .ok && Data(buffer: served.body) == png)
                // The thread's part replies to the first.
                let first = try #require(media.first { $0.text == "Rye & spelt today" })
                let reply = try #require(media.first { $0.text == "And a seeded one" })
                #expect(reply.replyTo == first.id && reply.mediaType == "TEXT_POST" || reply.replyTo == first.id && reply.mediaType == "TEXT")
                // Two images: a carousel of two items.
                let carousel = try #require(containers.first { $0.text == "Two loaves" })
                #expect(carousel.mediaType == "CAROUSEL" && carousel.children.count == 2)
                let items = containers.filter { carousel.children.contains($0.id) }
                #expect(items.map(\.altText) == ["A round rye loaf", "A seeded loaf"] && items.allSatisfy(\.isCarouselItem))
                // The video: published once Threads said it was ready.
                let clip = try #require(containers.first { $0.text == "Into the oven" })
                #expect(clip.mediaType == "VIDEO" && clip.videoURL?.hasPrefix("https://trestle.example/media-links/") == true)
                let readings = fake.server.requests.filter { $0.method == "GET" && $0.path == "/v1.0/\(clip.id)" }.count
                #expect(readings >= 3, "in progress twice, then ready: \(readings)")

                let delivery = try #require(try await app.deliveries(of: rye, ana).first)
                #expect(delivery["state"] as? String == "published")
                #expect(delivery["remoteId"] as? String == first.id)
                #expect(delivery["remoteURL"] as? String == first.permalink, "\(delivery)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAttemptWithoutAnAnswerResumesFromItsContainerAndNeverPostsTwice(_ database: TestDatabase) async throws {
        try await FakeThreads.with { fake in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectThreads(app, fake, ana)

                // Published by a worker that stopped before it heard back: found, not posted again.
                let croissants = try #require(try await app.createPost(ana, #"{"text": "Croissants at 8", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                let made = try await app.callAsEarlierAttempt(fake.url, "v1.0/\(FakeThreads.userID)/threads", ["media_type": "TEXT", "text": "Croissants at 8"], on: .threads)
                let posted = try await app.callAsEarlierAttempt(fake.url, "v1.0/\(FakeThreads.userID)/threads_publish", ["creation_id": made], on: .threads)
                try await app.stopSending(post: croissants, kept: made)
                #expect(try await app.publishDueDeliveries() == 1)
                #expect(fake.controls.media.withLock { $0.count } == 1, "not posted twice")
                #expect(fake.controls.containers.withLock { $0.count } == 1, "no second container")
                var delivery = try #require(try await app.deliveries(of: croissants, ana).first)
                #expect(delivery["state"] as? String == "published" && delivery["remoteId"] as? String == posted, "\(delivery)")

                // Stopped after keeping its container and before publishing it: that container is published.
                let scones = try #require(try await app.createPost(ana, #"{"text": "Scones at 9", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                let kept = try await app.callAsEarlierAttempt(fake.url, "v1.0/\(FakeThreads.userID)/threads", ["media_type": "TEXT", "text": "Scones at 9"], on: .threads)
                try await app.stopSending(post: scones, kept: kept)
                #expect(try await app.publishDueDeliveries() == 1)
                #expect(fake.controls.containers.withLock { $0.count } == 2)
                #expect(fake.controls.containers.withLock { $0.last?.status } == "PUBLISHED")
                #expect(fake.controls.media.withLock { $0.map(\.text) } == ["Croissants at 8", "Scones at 9"])

                // Threads fails at publishing: the next attempt publishes the kept container.
                fake.controls.publishFailures.withLock { $0 = [.unknown] }
                let tea = try #require(try await app.createPost(ana, #"{"text": "Tea at 4", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                delivery = try #require(try await app.deliveries(of: tea, ana).first)
                #expect(delivery["state"] as? String == "retrying", "\(delivery)")
                let stored = try #require(try await Delivery.query(on: app.db).filter(\.$post.$id == UUID(uuidString: tea)!).first())
                #expect(stored.checkpoint == "0 \(fake.controls.containers.withLock { $0.last?.id ?? "" })", "the container is kept")
                clock.advance(by: 600)
                try await app.publishDueDeliveries()
                #expect(try await app.deliveries(of: tea, ana).first?["state"] as? String == "published")
                #expect(fake.controls.containers.withLock { $0.count } == 3, "the kept container, not a new one")
                #expect(fake.controls.media.withLock { $0.filter { $0.text == "Tea at 4" }.count } == 1)
                let done = try #require(try await Delivery.query(on: app.db).filter(\.$post.$id == UUID(uuidString: tea)!).first())
                #expect(done.checkpoint == nil)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func threadsFailuresAreWaitedForOrSaidInItsWords(_ database: TestDatabase) async throws {
        try await FakeThreads.with { fake in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectThreads(app, fake, ana)

                // Media Threads could not fetch or use: failed, with Threads' reason.
                fake.controls.containerError.withLock { $0 = "FAILED_DOWNLOADING_VIDEO" }
                let film = try #require(try await app.upload(TestMedia.mp4(seconds: 5, width: 640, height: 360), named: "oven.mp4", alt: "The oven", as: ana).json()["id"] as? String)
                let oven = try #require(try await app.createPost(ana, #"{"text": "Into the oven", "media": ["\#(film)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                var delivery = try #require(try await app.deliveries(of: oven, ana).first)
                #expect(delivery["state"] as? String == "failed")
                #expect((delivery["error"] as? String)?.contains("Threads could not use the post's media (FAILED_DOWNLOADING_VIDEO)") == true, "\(delivery)")
                fake.controls.containerError.withLock { $0 = nil }

                // The app's hourly allowance used up (X-App-Usage at 100 %), then the account's
                // (X-Business-Use-Case-Usage, with minutes until it comes back): waited for.
                fake.controls.publishFailures.withLock { $0 = [.rateLimited, .userRateLimited, .tokenExpired] }
                let bread = try #require(try await app.createPost(ana, #"{"text": "Bread of the day", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                delivery = try #require(try await app.deliveries(of: bread, ana).first)
                #expect(delivery["state"] as? String == "retrying")
                var wait = try #require((delivery["scheduledAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }).timeIntervalSince(clock.now())
                #expect(wait > 500, "a used-up allowance waits Meta's window: \(wait)")
                clock.advance(by: wait + 1)
                try await app.publishDueDeliveries()
                delivery = try #require(try await app.deliveries(of: bread, ana).first)
                wait = try #require((delivery["scheduledAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }).timeIntervalSince(clock.now())
                #expect(delivery["state"] as? String == "retrying" && wait > 880, "estimated_time_to_regain_access said 15 minutes: \(wait)")
                #expect(fake.controls.containers.withLock { $0.filter { $0.text == "Bread of the day" }.count } == 1, "each attempt resumed from the one container")

                // The token refused: the channel asks to be connected again, with Threads' words.
                clock.advance(by: wait + 1)
                try await app.publishDueDeliveries()
                let channels = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
                #expect(channels.first?["status"] as? String == "needs_reconnect")
                #expect((channels.first?["problem"] as? String)?.contains("Threads refused the access token") == true, "\(channels)")
            }
        }
    }

    @Test func withoutAPublicAddressAnImagePostSaysWhatTheOperatorSets() async throws {
        try await FakeThreads.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectThreads(app, fake, ana)
                let image = try #require(try await app.upload(TestMedia.png(width: 400, height: 400), named: "bun.png", alt: "A bun", as: ana).json()["id"] as? String)
                let bun = try #require(try await app.createPost(ana, #"{"text": "Buns", "media": ["\#(image)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let delivery = try #require(try await app.deliveries(of: bun, ana).first)
                #expect(delivery["state"] as? String == "failed")
                #expect((delivery["error"] as? String)?.contains("TRESTLE_PUBLIC_URL") == true, "\(delivery)")
                #expect(fake.controls.containers.withLock { $0.isEmpty }, "nothing half-made at Threads")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func repliesReachTheInboxAreAnsweredAndInsightsAreCounted(_ database: TestDatabase) async throws {
        try await FakeThreads.with { fake in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectThreads(app, fake, ana)
                let rye = try #require(try await app.createPost(ana, #"{"text": "Fresh rye", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let published = try #require(fake.controls.media.withLock { $0.first?.id })

                #expect(try await app.pollDueInboxes() == 1)
                clock.advance(by: 120)
                #expect(try await app.pollDueInboxes() == 0, "Threads' inbox is read every five minutes at most, however often TRESTLE_INBOX_POLL_SECONDS asks: each reading costs a call a post")
                #expect(try await app.inbox(ana).isEmpty)
                let question = fake.reply("Do you deliver?", to: published)
                fake.reply("Same question & one more: Sundays?", to: question, by: "tomtaylor")
                clock.advance(by: 301)
                try await app.pollDueInboxes()
                var items = try await app.inbox(ana)
                #expect(Set(items.compactMap { $0["text"] as? String }) == ["Do you deliver?", "Same question & one more: Sundays?"], "\(items)")
                let asked = try #require(items.first { $0["text"] as? String == "Do you deliver?" })
                #expect(asked["kind"] as? String == "reply")
                #expect((asked["inReplyTo"] as? [String: Any])?["post"] as? String == rye)
                #expect((asked["author"] as? [String: Any])?["handle"] as? String == "miamiller")

                // Answered from the inbox: a reply to it on Threads; the account's own reply is
                // not in its inbox when read again.
                let answer = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(try #require(asked["id"] as? String))/reply", as: ana,
                                               json: #"{"text": "Yes, within 5 km"}"#)
                #expect(answer.status == .created || answer.status == .ok, "\(answer.text)")
                try await app.publishDueDeliveries()
                let sent = try #require(fake.controls.media.withLock { $0.last })
                #expect(sent.text == "Yes, within 5 km" && sent.replyTo == question)
                fake.reply("And on Monday?", to: published)
                clock.advance(by: 301)
                try await app.pollDueInboxes()
                items = try await app.inbox(ana)
                #expect(items.count == 3, "\(items.map { $0["text"] ?? "" })")

                fake.controls.media.withLock { media in
                    if let index = media.firstIndex(where: { $0.id == published }) { media[index].likes = .int(7); media[index].views = .int(40) }
                }
                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()
                let metrics = try #require(try await app.deliveryMetrics(of: rye, ana))
                #expect(metrics["likes"] as? Int == 7 && metrics["impressions"] as? Int == 40 && metrics["reposts"] as? Int == 1, "\(metrics)")
                #expect(metrics["replies"] as? Int == 4, "every reply under the post: \(metrics)")
                let followers = try await (app.db as! any SQLDatabase).raw("SELECT followers FROM channel_followers").all()
                #expect(try followers.map { try $0.decode(column: "followers", as: Int.self) } == [230])

                // Taken off Threads: gone, and its counts are no longer asked for.
                let connector = try #require(app.wiring.connectors.connector(for: .threads))
                let account = try await app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.query(on: app.db).first()))
                try await connector.delete(PublishedPart(remoteID: published, url: nil), as: account)
                #expect(!fake.controls.media.withLock { $0.contains { $0.id == published } })
                try await connector.delete(PublishedPart(remoteID: published, url: nil), as: account)
                let reading = try await #require(connector.metrics).metrics(of: [published], as: account)
                #expect(reading.gone == [published])
            }
        }
    }
}
