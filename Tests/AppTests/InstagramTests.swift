@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Instagram against its loopback fake: Instagram Login at the operator's Meta app (its token
/// answer in a `data` list), the hour-long token traded for a long-lived one and renewed in its
/// last week, a personal account refused with what to do; posts as containers of a JPEG, a reel
/// or a carousel fetched at Trestle's signed addresses, resumed from the kept container, a
/// thread as one caption; comments in the inbox, answered as replies under the comment;
/// insights counted, with what Instagram does not count said.
@Suite struct InstagramTests {
    private static let publicURL = URL(string: "https://trestle.example")!

    private func connectInstagram(_ app: Application, _ fake: FakeInstagram, _ member: Member) async throws -> String {
        app.useFakeInstagram(fake)
        let browser = Browser(app)
        try await browser.logIn(member.user.email, "correct horse 1")
        let callback = try await app.signIn(at: .instagram, browser, member).callback
        #expect(callback.status == .seeOther, "\(callback.body.string.prefix(1_000))")
        let channels = try await app.api(.GET, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member).jsonArray()
        return try #require(channels.first { $0["network"] as? String == "instagram" }?["id"] as? String)
    }

    @Test(arguments: TestDatabase.all)
    func aProfessionalAccountSignsInAndItsTokenIsRenewedInItsLastWeek(_ database: TestDatabase) async throws {
        try await FakeInstagram.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                app.wiring.connectors = app.wiring.connectors.adding(InstagramConnector(http: app.networkHTTP, provider: fake.provider))
                let page = try await browser.get("/workspaces/\(ana.workspaceID)/channels").body.string
                #expect(page.contains(#"href="/readme#registering-an-app-with-instagram""#))

                // A personal account: nothing connected, and the person is told what to do.
                app.useFakeInstagram(fake)
                fake.controls.accountType.withLock { $0 = "PERSONAL" }
                let personal = try await app.signIn(at: .instagram, browser, ana).callback
                #expect(personal.status == .unprocessableEntity)
                #expect(personal.body.string.contains("Instagram lets apps publish only for professional accounts"), "\(personal.body.string.prefix(800))")
                #expect(try await App.Channel.query(on: app.db).count() == 0)

                fake.controls.accountType.withLock { $0 = "BUSINESS" }
                let (authorize, callback) = try await app.signIn(at: .instagram, browser, ana)
                #expect(callback.status == .seeOther, "\(callback.body.string.prefix(800))")
                let query = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
                #expect(query["scope"] == "instagram_business_basic,instagram_business_content_publish,instagram_business_manage_comments,instagram_business_manage_insights")
                #expect(query["redirect_uri"]?.hasSuffix("/oauth/instagram/callback") == true)
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                #expect(channel.handle == "@cornerbakery" && channel.remoteID == FakeInstagram.userID, "the professional account's id, which publishing names")
                let channels = app.wiring.channels(on: app.db)
                let first = try channels.credentials(of: channel)
                #expect(first.accessToken?.hasPrefix("ig-long-") == true && first.expiresAt.map { abs($0.timeIntervalSince(clock.now()) - 60 * 86_400) < 120 } == true)

                clock.advance(by: 54 * 86_400)
                let renewed = try await channels.account(of: channel).credentials
                #expect(renewed.accessToken != first.accessToken && renewed.accessToken?.hasPrefix("ig-long-") == true)
                #expect(fake.controls.grants.withLock { $0 }.suffix(3) == ["authorization_code", "ig_exchange_token", "ig_refresh_token"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPictureAReelAndACarouselArePublishedOnceFromTheirContainers(_ database: TestDatabase) async throws {
        try await FakeInstagram.with { fake in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectInstagram(app, fake, ana)
                let jpeg = TestMedia.jpeg(width: 1080, height: 1080, size: 3_000)
                let photo = try #require(try await app.upload(jpeg, named: "loaf.jpg", alt: "A round rye loaf", as: ana).json()["id"] as? String)
                let other = try #require(try await app.upload(TestMedia.jpeg(width: 1080, height: 1350), named: "seeded.jpg", alt: "A seeded loaf", as: ana).json()["id"] as? String)
                let film = try #require(try await app.upload(TestMedia.mp4(seconds: 20, width: 1080, height: 1920), named: "oven.mp4", alt: "The oven", as: ana).json()["id"] as? String)
                let rye = try #require(try await app.createPost(ana, #"{"text": "Rye & spelt today", "thread": ["Order by 6 for the morning"], "media": ["\#(photo)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                _ = try await app.createPost(ana, #"{"text": "Two loaves", "media": ["\#(photo)", "\#(other)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                _ = try await app.createPost(ana, #"{"text": "Into the oven", "media": ["\#(film)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                #expect(try await app.publishDueDeliveries() == 3)

                let containers = fake.controls.containers.withLock { $0 }
                let single = try #require(containers.first { $0.caption == "Rye & spelt today\n\nOrder by 6 for the morning" }, "Instagram has no threads: one caption")
                #expect(single.mediaType == "IMAGE" && single.altText == "A round rye loaf")
                let address = try #require(single.imageURL)
                let served = try await app.sendRequest(.GET, String(address.dropFirst("https://trestle.example".count)))
                #expect(served.status == .ok && Data(buffer: served.body) == jpeg, "Instagram fetches the file at Trestle's signed address")
                let carousel = try #require(containers.first { $0.caption == "Two loaves" })
                #expect(carousel.mediaType == "CAROUSEL" && carousel.children.count == 2)
                #expect(containers.filter { carousel.children.contains($0.id) }.allSatisfy { $0.isCarouselItem && $0.mediaType == "IMAGE" })
                let reel = try #require(containers.first { $0.caption == "Into the oven" })
                #expect(reel.mediaType == "REELS" && reel.statusCode == "PUBLISHED", "a video alone is a reel, published once ready")
                let post = try #require(fake.controls.media.withLock { $0.first { $0.caption == single.caption } })
                let delivery = try #require(try await app.deliveries(of: rye, ana).first)
                #expect(delivery["remoteId"] as? String == post.id && delivery["remoteURL"] as? String == post.permalink)

                // Instagram fails at publishing: the next attempt publishes the kept container.
                fake.controls.publishFailures.withLock { $0 = [.unknown] }
                let buns = try #require(try await app.createPost(ana, #"{"text": "Buns at 10", "media": ["\#(other)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                #expect(try await app.deliveries(of: buns, ana).first?["state"] as? String == "retrying")
                clock.advance(by: 600)
                try await app.publishDueDeliveries()
                #expect(try await app.deliveries(of: buns, ana).first?["state"] as? String == "published")
                #expect(fake.controls.containers.withLock { $0.filter { $0.caption == "Buns at 10" }.count } == 1)
                #expect(fake.controls.media.withLock { $0.filter { $0.caption == "Buns at 10" }.count } == 1)

                // Published by a worker that stopped before it heard back: found, not posted again.
                let scones = try #require(try await app.createPost(ana, #"{"text": "Scones at 9", "media": ["\#(other)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                let user = FakeInstagram.userID
                let made = try await app.callAsEarlierAttempt(fake.url, "v23.0/\(user)/media", ["image_url": address, "caption": "Scones at 9"], on: .instagram)
                let posted = try await app.callAsEarlierAttempt(fake.url, "v23.0/\(user)/media_publish", ["creation_id": made], on: .instagram)
                try await app.stopSending(post: scones, kept: made)
                #expect(try await app.publishDueDeliveries() == 1)
                #expect(fake.controls.media.withLock { $0.filter { $0.caption == "Scones at 9" }.count } == 1, "not posted twice")
                #expect(try await app.deliveries(of: scones, ana).first?["remoteId"] as? String == posted)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func commentsReachTheInboxAreAnsweredAsRepliesAndInsightsAreCounted(_ database: TestDatabase) async throws {
        try await FakeInstagram.with { fake in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectInstagram(app, fake, ana)
                let photo = try #require(try await app.upload(TestMedia.jpeg(width: 1080, height: 1080), named: "rye.jpg", alt: "Rye", as: ana).json()["id"] as? String)
                let rye = try #require(try await app.createPost(ana, #"{"text": "Fresh rye", "media": ["\#(photo)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let published = try #require(fake.controls.media.withLock { $0.first?.id })

                #expect(try await app.pollDueInboxes() == 1)
                let question = fake.comment("Do you deliver?", on: published)
                fake.comment("Me too & on Sundays?", on: published, by: "tomtaylor", replyingTo: question)
                clock.advance(by: 301)
                try await app.pollDueInboxes()
                let items = try await app.inbox(ana)
                #expect(Set(items.compactMap { $0["text"] as? String }) == ["Do you deliver?", "Me too & on Sundays?"], "\(items)")
                let asked = try #require(items.first { $0["text"] as? String == "Do you deliver?" })
                #expect((asked["inReplyTo"] as? [String: Any])?["post"] as? String == rye)
                #expect((asked["author"] as? [String: Any])?["handle"] as? String == "miamiller")

                // Answering the reply to a comment replies under that comment: Instagram replies
                // only to top-level comments.
                let nested = try #require(items.first { $0["text"] as? String == "Me too & on Sundays?" }?["id"] as? String)
                let answer = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(nested)/reply", as: ana, json: #"{"text": "Sundays too, from 8"}"#)
                #expect(answer.status == .created || answer.status == .ok, "\(answer.text)")
                try await app.publishDueDeliveries()
                let sent = try #require(fake.controls.comments.withLock { $0.last })
                #expect(sent.text == "Sundays too, from 8" && sent.parentID == question && sent.fromID == FakeInstagram.userID)
                clock.advance(by: 301)
                try await app.pollDueInboxes()
                #expect(try await app.inbox(ana).count == 2, "the account's own reply is not in its inbox")

                fake.setLikes(.int(12), of: published)
                fake.controls.media.withLock { $0[0].views = .int(90) }
                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()
                let metrics = try #require(try await app.deliveryMetrics(of: rye, ana))
                #expect(metrics["likes"] as? Int == 12 && metrics["impressions"] as? Int == 90 && metrics["replies"] as? Int == 3, "\(metrics)")
                #expect(metrics["reposts"] == nil || metrics["reposts"] is NSNull, "Instagram has no reposts: absent, never 0")
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                let page = try await browser.get("/workspaces/\(ana.workspaceID)/posts/\(rye)").body.string
                #expect(page.contains("Instagram has no reposts or quotes."), "\(page.prefix(3_000))")
                let followers = try await (app.db as! any SQLDatabase).raw("SELECT followers FROM channel_followers").all()
                #expect(try followers.map { try $0.decode(column: "followers", as: Int.self) } == [310])

                // Instagram does not let apps take posts down: said plainly.
                let connector = try #require(app.wiring.connectors.connector(for: .instagram))
                let account = try await app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.query(on: app.db).first()))
                await #expect(throws: NetworkError.rejected(status: 405, message: "Instagram does not let apps take posts down: delete it in the Instagram app.")) {
                    try await connector.delete(PublishedPart(remoteID: published, url: nil), as: account)
                }
            }
        }
    }
}
