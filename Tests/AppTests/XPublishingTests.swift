@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Publishing to X against its loopback fake: text, an image with its alt text, a video in
/// chunks with its processing waited for, a thread as replies; a post whose outcome is unknown
/// looked for before any resend; X's failures as the publisher's outcomes; mentions in the
/// inbox and public counts read.
@Suite struct XPublishingTests {
    private func connectX(_ app: Application, _ fake: FakeX, _ member: Member) async throws -> String {
        app.useFakeX(fake)
        let browser = Browser(app)
        try await browser.logIn(member.user.email, "correct horse 1")
        #expect(try await app.signInAtX(browser, member).callback.status == .seeOther)
        let channels = try await app.api(.GET, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member).jsonArray()
        return try #require(channels.first { $0["network"] as? String == "x" }?["id"] as? String)
    }

    /// A video of 20 seconds, padded past two upload chunks with a `free` box.
    private static let video: Data = {
        let padding = 9_000_000
        let free = [UInt8(padding >> 24 & 0xFF), UInt8(padding >> 16 & 0xFF), UInt8(padding >> 8 & 0xFF), UInt8(padding & 0xFF)] + Array("free".utf8)
        return TestMedia.mp4(seconds: 20, width: 1280, height: 720) + Data(free + [UInt8](repeating: 0, count: padding - 8))
    }()

    @Test(arguments: TestDatabase.all)
    func textMediaAndAThreadArePublishedExactlyOnce(_ database: TestDatabase) async throws {
        try await FakeX.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectX(app, fake, ana)
                let png = TestMedia.png(width: 1200, height: 800, size: 2_000)
                let image = try #require(try await app.upload(png, named: "loaf.png", alt: "A round rye loaf", as: ana).json()["id"] as? String)
                let film = try #require(try await app.upload(Self.video, named: "oven.mp4", alt: "The oven", as: ana).json()["id"] as? String)
                let rye = try #require(try await app.createPost(ana, #"{"text": "Rye & spelt today https://bakery.example/rye", "thread": ["And a seeded one"], "media": ["\#(image)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                let oven = try #require(try await app.createPost(ana, #"{"text": "Into the oven", "media": ["\#(film)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                #expect(try await app.publishDueDeliveries() == 2)

                let posts = fake.controls.posts.withLock { $0 }
                #expect(posts.count == 3)
                #expect(posts[1].inReplyTo == posts[0].id, "the thread's part replies to the first")
                let uploads = fake.controls.uploads.withLock { $0 }
                let photoID = try #require(posts[0].mediaIDs.first)
                let photo = try #require(uploads[photoID])
                #expect(photo.bytes == png && photo.altText == "A round rye loaf" && photo.type == "image/png")
                #expect(posts[1].mediaIDs.isEmpty, "media go with the first part only")
                let clipID = try #require(posts[2].mediaIDs.first)
                let clip = try #require(uploads[clipID])
                #expect(clip.bytes == Self.video && clip.checksLeft == 0, "whole, and processed before it was attached")
                #expect(fake.server.requests.filter { $0.path.hasSuffix("/append") }.count == 4, "the image in one chunk, the video in three")
                let delivery = try #require(try await app.deliveries(of: rye, ana).first)
                #expect(delivery["state"] as? String == "published")
                #expect(delivery["remoteURL"] as? String == "https://x.com/i/web/status/\(posts[0].id)", "\(delivery)")
                #expect(try await app.deliveries(of: oven, ana).first?["state"] as? String == "published")

                // A worker that died after X took the post: the post is found, not sent again.
                let lost = try #require(try await app.createPost(ana, #"{"text": "Croissants at 8 & tea https://bakery.example/c", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                let began = Date()
                let sending = try #require(try await Delivery.query(on: app.db).filter(\.$post.$id == UUID(uuidString: lost)!).first())
                sending.state = .sending
                sending.sendingSince = began
                try await sending.save(on: app.db)
                let token = try app.wiring.channels(on: app.db).credentials(of: try #require(try await App.Channel.query(on: app.db).first())).accessToken
                let taken = try await XClient(apiBase: URL(string: fake.url)!, accessToken: try #require(token), http: app.networkHTTP)
                    .createPost(text: "Croissants at 8 & tea https://bakery.example/c", inReplyTo: nil, mediaIDs: [])
                #expect(try await app.publishDueDeliveries() == 1)
                #expect(fake.controls.posts.withLock { $0.count } == 4, "not posted twice")
                #expect(try await app.deliveries(of: lost, ana).first?["remoteId"] as? String == taken.id)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func xsFailuresAreRetriedWaitedForOrSaidInItsWords(_ database: TestDatabase) async throws {
        try await FakeX.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectX(app, fake, ana)

                // The same words twice: X refuses the second as a duplicate, for good.
                _ = try await app.createPost(ana, #"{"text": "Soup of the day", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                let twice = try #require(try await app.createPost(ana, #"{"text": "Soup of the day", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                var delivery = try #require(try await app.deliveries(of: twice, ana).first)
                #expect(delivery["state"] as? String == "failed")
                #expect((delivery["error"] as? String)?.contains("X refused it as a duplicate of a recent post: You are not allowed to create a Tweet with duplicate content.") == true, "\(delivery)")

                fake.controls.postFailures.withLock { $0 = [.serviceUnavailable, .tooManyRequests, .unauthorized] }
                let busy = try #require(try await app.createPost(ana, #"{"text": "Bread of the day", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                delivery = try #require(try await app.deliveries(of: busy, ana).first)
                #expect(delivery["state"] as? String == "retrying", "503: X's side; tried again")

                clock.advance(by: 120)
                try await app.publishDueDeliveries()
                delivery = try #require(try await app.deliveries(of: busy, ana).first)
                #expect(delivery["state"] as? String == "retrying", "429: waits as long as x-rate-limit-reset says")
                let wait = try #require(delivery["scheduledAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
                #expect(wait.map { $0.timeIntervalSince(clock.now()) > 400 } == true, "x-rate-limit-reset said ten minutes: \(delivery)")

                clock.advance(by: 700)
                try await app.publishDueDeliveries()
                let channels = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
                #expect(channels.first?["status"] as? String == "needs_reconnect", "401: X refused the token")
                #expect((channels.first?["problem"] as? String)?.contains("X refused the access token") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func mentionsReachTheInboxAndPublicCountsAreRead(_ database: TestDatabase) async throws {
        try await FakeX.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectX(app, fake, ana)
                let rye = try #require(try await app.createPost(ana, #"{"text": "Fresh rye", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let published = try #require(fake.controls.posts.withLock { $0.first?.id })

                #expect(try await app.pollDueInboxes() == 1)
                #expect(try await app.inbox(ana).isEmpty, "the first reading starts from now")
                _ = fake.mention("@cornerbakery do you deliver?")
                _ = fake.mention("@cornerbakery one for Saturday & one for Sunday please", replyingTo: published)
                clock.advance(by: 120)
                try await app.pollDueInboxes()
                let items = try await app.inbox(ana)
                #expect(Set(items.compactMap { $0["kind"] as? String }) == ["mention", "reply"], "\(items)")
                let reply = try #require(items.first { $0["kind"] as? String == "reply" })
                #expect(reply["text"] as? String == "@cornerbakery one for Saturday & one for Sunday please", "X's escapes undone")
                #expect((reply["inReplyTo"] as? [String: Any])?["post"] as? String == rye)
                #expect((reply["author"] as? [String: Any])?["handle"] as? String == "miamiller", "the page puts the @ before it")
                // Answered from the inbox: a reply to the mention on X.
                let question = try #require(items.first { $0["kind"] as? String == "mention" }?["id"] as? String)
                let answer = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(question)/reply", as: ana, json: #"{"text": "@miamiller yes, within 5 km"}"#)
                #expect(answer.status == .created || answer.status == .ok, "\(answer.text)")
                try await app.publishDueDeliveries()
                let asked = try #require(fake.controls.posts.withLock { $0.first { $0.text == "@cornerbakery do you deliver?" }?.id })
                #expect(fake.controls.posts.withLock { $0.last?.inReplyTo } == asked && fake.controls.posts.withLock { $0.last?.text } == "@miamiller yes, within 5 km")

                _ = fake.mention("@cornerbakery and on Monday?")
                clock.advance(by: 120)
                try await app.pollDueInboxes()
                #expect(try await app.inbox(ana).count == 3)
                #expect(fake.controls.mentionQueries.withLock { $0.last?.contains("since_id=") } == true, "read from the cursor")

                fake.controls.posts.withLock { $0[0].likes = 7 }
                fake.controls.givesImpressions.withLock { $0 = false }
                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()
                let metrics = try #require(try await app.deliveryMetrics(of: rye, ana))
                #expect(metrics["likes"] as? Int == 7 && metrics["reposts"] as? Int == 1)
                #expect(metrics["impressions"] == nil || metrics["impressions"] is NSNull, "not in the operator's tier: absent, never 0")
                // The post's page says what X counted, and plainly what it did not.
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                let page = try await browser.get("/workspaces/\(ana.workspaceID)/posts/\(rye)").body.string
                #expect(page.contains("7 likes · 1 repost · 0 replies · 0 quotes"), "\(page)")
                #expect(page.contains("Not counted: views. X gives views only to API access levels that include them; the operator&#39;s does not.")
                        || page.contains("Not counted: views. X gives views only to API access levels that include them; the operator's does not."))
                let followers = try await (app.db as! any SQLDatabase).raw("SELECT followers FROM channel_followers").all()
                #expect(try followers.map { try $0.decode(column: "followers", as: Int.self) } == [120])
            }
        }
    }
}
