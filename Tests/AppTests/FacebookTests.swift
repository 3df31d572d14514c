@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Facebook Pages against their loopback fake: Facebook Login with PKCE, the person's token
/// traded for a sixty-day one, the Pages they may post to offered to choose from (the chosen
/// one's own token kept, never one they may only read), posts as text, a photo, photos or a
/// video fetched at Trestle's signed addresses, found rather than sent twice; Meta's failures;
/// comments in the inbox, answered under them; reactions, comments and shares counted.
@Suite struct FacebookTests {
    private static let publicURL = URL(string: "https://trestle.example")!

    /// Signs in and chooses the bakery's Page; returns the channel's id.
    private func connectFacebook(_ app: Application, _ fake: FakeFacebook, _ member: Member, _ browser: Browser? = nil) async throws -> String {
        app.useFakeFacebook(fake)
        let browser = browser ?? Browser(app)
        if browser.csrf == nil { try await browser.logIn(member.user.email, "correct horse 1") }
        let callback = try await app.signIn(at: .facebook, browser, member).callback
        #expect(callback.status == .seeOther && callback.headers.first(name: .location) == "/oauth/facebook/choose", "\(callback.body.string.prefix(800))")
        let chosen = try await browser.post("/oauth/facebook/choose", ["account": FakeFacebook.bakeryPageID])
        #expect(chosen.status == .seeOther, "\(chosen.body.string.prefix(800))")
        let channels = try await app.api(.GET, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member).jsonArray()
        return try #require(channels.first { $0["network"] as? String == "facebook" }?["id"] as? String)
    }

    @Test(arguments: TestDatabase.all)
    func signingInOffersThePagesThePersonMayPostToAndConnectsTheOneChosen(_ database: TestDatabase) async throws {
        try await FakeFacebook.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                app.useFakeFacebook(fake)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                let (authorize, callback) = try await app.signIn(at: .facebook, browser, ana)
                #expect(callback.headers.first(name: .location) == "/oauth/facebook/choose")
                let query = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
                #expect(query["scope"] == "pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement,pages_read_user_content,read_insights")
                #expect(query["code_challenge_method"] == "S256")
                #expect(fake.controls.grants.withLock { $0 } == ["authorization_code", "fb_exchange_token"])

                // The Pages the person may post to; not the one they may only read.
                let page = try await browser.get("/oauth/facebook/choose").body.string
                #expect(page.contains("Which Facebook account?") && page.contains("Corner Bakery") && page.contains("Corner Café"))
                #expect(!page.contains("Stats Only") && !page.contains("fb-page-"), "no Page tokens on the page")
                let refused = try await browser.post("/oauth/facebook/choose", ["account": FakeFacebook.statsPageID])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Choose one of the accounts listed."))
                #expect(try await App.Channel.query(on: app.db).count() == 0)

                let chosen = try await browser.post("/oauth/facebook/choose", ["account": FakeFacebook.bakeryPageID])
                #expect(chosen.status == .seeOther)
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                #expect(channel.remoteID == FakeFacebook.bakeryPageID && channel.handle == "@cornerbakery" && channel.name == "Corner Bakery")
                let credentials = try app.wiring.channels(on: app.db).credentials(of: channel)
                #expect(credentials.accessToken?.hasPrefix("fb-page-\(FakeFacebook.bakeryPageID)") == true && credentials.expiresAt == nil,
                        "the Page's own token, which does not end")
                // The choice is used up.
                #expect(try await browser.post("/oauth/facebook/choose", ["account": FakeFacebook.cafePageID]).status == .badRequest)

                // One Page to post to: connected at once.
                fake.controls.pages.withLock { $0 = $0.filter { $0.id == FakeFacebook.cafePageID } }
                let direct = try await app.signIn(at: .facebook, browser, ana).callback
                #expect(direct.status == .seeOther && direct.headers.first(name: .location)?.hasSuffix("/channels") == true)
                #expect(try await App.Channel.query(on: app.db).count() == 2)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func textAPhotoPhotosAndAVideoArePublishedOnce(_ database: TestDatabase) async throws {
        try await FakeFacebook.with { fake in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectFacebook(app, fake, ana)
                let page = FakeFacebook.bakeryPageID
                let jpeg = TestMedia.jpeg(width: 1200, height: 800, size: 2_000)
                let photo = try #require(try await app.upload(jpeg, named: "loaf.jpg", alt: "A round rye loaf", as: ana).json()["id"] as? String)
                let other = try #require(try await app.upload(TestMedia.png(width: 800, height: 800), named: "seeded.png", alt: "A seeded loaf", as: ana).json()["id"] as? String)
                let film = try #require(try await app.upload(TestMedia.mp4(seconds: 20, width: 1280, height: 720), named: "oven.mp4", alt: "The oven", as: ana).json()["id"] as? String)
                let soup = try #require(try await app.createPost(ana, #"{"text": "Soup of the day: leek & potato", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                _ = try await app.createPost(ana, #"{"text": "Rye today", "media": ["\#(photo)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                _ = try await app.createPost(ana, #"{"text": "Two loaves", "media": ["\#(photo)", "\#(other)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                _ = try await app.createPost(ana, #"{"text": "Into the oven", "media": ["\#(film)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                #expect(try await app.publishDueDeliveries() == 4)

                let posts = fake.controls.posts.withLock { $0 }
                #expect(Set(posts.map(\.message)) == ["Soup of the day: leek & potato", "Rye today", "Two loaves", "Into the oven"], "\(posts.map(\.message))")
                let photos = fake.controls.photos.withLock { $0 }
                let single = try #require(photos.first { $0.caption == "Rye today" })
                #expect(single.published && single.altText == "A round rye loaf" && single.url.hasPrefix("https://trestle.example/media-links/"))
                let served = try await app.sendRequest(.GET, String(single.url.dropFirst("https://trestle.example".count)))
                #expect(served.status == .ok && Data(buffer: served.body) == jpeg, "Facebook fetches the file at Trestle's signed address")
                let pair = try #require(posts.first { $0.message == "Two loaves" })
                #expect(pair.photoIDs.count == 2 && photos.filter { pair.photoIDs.contains($0.id) }.allSatisfy { !$0.published }, "unpublished photos attached to one post")
                #expect(posts.first { $0.message == "Into the oven" }?.videoID != nil)
                let delivery = try #require(try await app.deliveries(of: soup, ana).first)
                let soupPost = try #require(posts.first { $0.message == "Soup of the day: leek & potato" })
                #expect(delivery["remoteId"] as? String == soupPost.id && (delivery["remoteURL"] as? String)?.hasPrefix("https://www.facebook.com/") == true, "\(delivery)")

                // Posted by a worker that stopped before it heard back: found, not posted again.
                let bread = try #require(try await app.createPost(ana, #"{"text": "Bread at 7", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                let posted = try await app.callAsEarlierAttempt(fake.url, "v23.0/\(page)/feed", ["message": "Bread at 7"], on: .facebook)
                try await app.stopSending(post: bread)
                #expect(try await app.publishDueDeliveries() == 1)
                #expect(fake.controls.posts.withLock { $0.filter { $0.message == "Bread at 7" }.count } == 1, "not posted twice")
                #expect(try await app.deliveries(of: bread, ana).first?["remoteId"] as? String == posted)

                // Meta's throttling is waited for; a refused token asks to connect again.
                fake.controls.publishFailures.withLock { $0 = [.pageRateLimited, .tokenExpired] }
                let tea = try #require(try await app.createPost(ana, #"{"text": "Tea at 4", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let waiting = try #require(try await app.deliveries(of: tea, ana).first)
                let wait = try #require((waiting["scheduledAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }).timeIntervalSince(clock.now())
                #expect(waiting["state"] as? String == "retrying" && wait > 880, "estimated_time_to_regain_access said 15 minutes: \(wait)")
                clock.advance(by: wait + 1)
                try await app.publishDueDeliveries()
                let channels = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
                #expect(channels.first?["status"] as? String == "needs_reconnect")
                #expect((channels.first?["problem"] as? String)?.contains("Facebook refused the access token") == true, "\(channels)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func commentsReachTheInboxAreAnsweredAndCountsAreRead(_ database: TestDatabase) async throws {
        try await FakeFacebook.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectFacebook(app, fake, ana)
                let soup = try #require(try await app.createPost(ana, #"{"text": "Soup of the day", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let published = try #require(fake.controls.posts.withLock { $0.first?.id })

                #expect(try await app.pollDueInboxes() == 1)
                let question = fake.comment("Is it vegan?", on: published)
                fake.comment("Asking too & is there bread?", on: published, by: "Tom Taylor", replyingTo: question)
                clock.advance(by: 301)
                try await app.pollDueInboxes()
                let items = try await app.inbox(ana)
                #expect(Set(items.compactMap { $0["text"] as? String }) == ["Is it vegan?", "Asking too & is there bread?"], "\(items)")
                let asked = try #require(items.first { $0["text"] as? String == "Is it vegan?" })
                #expect((asked["inReplyTo"] as? [String: Any])?["post"] as? String == soup)
                #expect((asked["author"] as? [String: Any])?["name"] as? String == "Mia Miller")

                let nested = try #require(items.first { $0["text"] as? String == "Asking too & is there bread?" }?["id"] as? String)
                let answer = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(nested)/reply", as: ana, json: #"{"text": "Yes, and rye bread"}"#)
                #expect(answer.status == .created || answer.status == .ok, "\(answer.text)")
                try await app.publishDueDeliveries()
                let sent = try #require(fake.controls.comments.withLock { $0.last })
                #expect(sent.message == "Yes, and rye bread" && sent.parentID == question && sent.fromID == FakeFacebook.bakeryPageID)
                clock.advance(by: 301)
                try await app.pollDueInboxes()
                #expect(try await app.inbox(ana).count == 2, "the Page's own comment is not in its inbox")

                fake.controls.posts.withLock { posts in
                    if let index = posts.firstIndex(where: { $0.id == published }) { posts[index].likes = .int(9); posts[index].shares = 2 }
                }
                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()
                let metrics = try #require(try await app.deliveryMetrics(of: soup, ana))
                #expect(metrics["likes"] as? Int == 9 && metrics["reposts"] as? Int == 2 && metrics["replies"] as? Int == 3, "\(metrics)")
                #expect(metrics["impressions"] == nil || metrics["impressions"] is NSNull)
                let followers = try await (app.db as! any SQLDatabase).raw("SELECT followers FROM channel_followers").all()
                #expect(try followers.map { try $0.decode(column: "followers", as: Int.self) } == [540])

                // Taken down: gone, and its counts are no longer asked for.
                let connector = try #require(app.wiring.connectors.connector(for: .facebook))
                let account = try await app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.query(on: app.db).first()))
                try await connector.delete(PublishedPart(remoteID: published, url: nil), as: account)
                #expect(try await #require(connector.metrics).metrics(of: [published], as: account).gone == [published])
            }
        }
    }
}
