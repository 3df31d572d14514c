@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor
import VaporTesting

/// LinkedIn against its loopback fake: signing in at the operator's app, then choosing whether
/// the channel posts as the member or an organisation they administer; renewal with the
/// refresh token where LinkedIn gives one; posts with `LinkedIn-Version`, the commentary
/// escaped as little text, images and video put up first, the id from `x-restli-id`, found
/// rather than sent twice; LinkedIn's 429s, 401s and duplicates; comments in the inbox,
/// answered under them; likes and comments counted, an organisation's followers read.
@Suite struct LinkedInTests {
    private static let bakery = "urn:li:organization:\(FakeLinkedIn.organizationID)"

    /// Signs in and chooses the bakery's page; returns the channel's id.
    private func connectLinkedIn(_ app: Application, _ fake: FakeLinkedIn, _ member: Member, as account: String = bakery) async throws -> String {
        app.useFakeLinkedIn(fake)
        let browser = Browser(app)
        try await browser.logIn(member.user.email, "correct horse 1")
        let callback = try await app.signIn(at: .linkedin, browser, member).callback
        #expect(callback.headers.first(name: .location) == "/oauth/linkedin/choose", "\(callback.status) \(callback.body.string.prefix(800))")
        let chosen = try await browser.post("/oauth/linkedin/choose", ["account": account])
        #expect(chosen.status == .seeOther, "\(chosen.body.string.prefix(800))")
        let channels = try await app.api(.GET, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member).jsonArray()
        return try #require(channels.first { $0["network"] as? String == "linkedin" }?["id"] as? String)
    }

    @Test(arguments: TestDatabase.all)
    func aMemberChoosesToPostAsThemselvesOrTheirOrganisationAndTheTokenIsRenewed(_ database: TestDatabase) async throws {
        try await FakeLinkedIn.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                app.useFakeLinkedIn(fake)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                let (authorize, _) = try await app.signIn(at: .linkedin, browser, ana)
                let query = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
                #expect(query["scope"] == "openid profile w_member_social r_organization_social w_organization_social rw_organization_admin")
                let page = try await browser.get("/oauth/linkedin/choose").body.string
                #expect(page.contains("Ana Baker") && page.contains("Corner Bakery") && page.contains("Corner Café"), "\(page.prefix(2_000))")
                #expect(try await browser.post("/oauth/linkedin/choose", ["account": Self.bakery]).status == .seeOther)

                let channel = try #require(try await App.Channel.query(on: app.db).first())
                #expect(channel.remoteID == Self.bakery && channel.handle == "corner-bakery" && channel.name == "Corner Bakery")
                let channels = app.wiring.channels(on: app.db)
                let first = try channels.credentials(of: channel)
                #expect(first.identifier == Self.bakery && first.refreshToken != nil)

                clock.advance(by: 54 * 86_400)
                let renewed = try await channels.account(of: channel)
                #expect(renewed.credentials.accessToken != first.accessToken && renewed.credentials.refreshToken == first.refreshToken, "LinkedIn keeps its refresh token")
                #expect(renewed.credentials.identifier == Self.bakery, "still the organisation")
                #expect(fake.controls.grants.withLock { $0 } == ["authorization_code", "refresh_token"])

                // Revoked at LinkedIn: the refresh is refused with invalid_grant, and the channel asks to be connected again.
                fake.controls.refreshTokens.withLock { $0.removeAll() }
                clock.advance(by: 54 * 86_400)
                await #expect(throws: NetworkError.self) { try await channels.account(of: try #require(try await App.Channel.find(channel.id, on: app.db))) }
                let revoked = try #require(try await App.Channel.find(channel.id, on: app.db))
                #expect(revoked.status == .needsReconnect && revoked.problem?.contains("LinkedIn refused the sign-in") == true, "\(revoked.problem ?? "")")

                // An app without organisation access, and without refresh tokens (most apps): the member
                // alone, connected at once; nothing to renew, and an ended token asks to connect again.
                fake.controls.givesRefreshTokens.withLock { $0 = false }
                fake.controls.organizationsDenied.withLock { $0 = true }
                let direct = try await app.signIn(at: .linkedin, browser, ana).callback
                #expect(direct.status == .seeOther && direct.headers.first(name: .location)?.hasSuffix("/channels") == true, "\(direct.body.string.prefix(800))")
                let member = try #require(try await App.Channel.query(on: app.db).filter(\.$remoteID == "urn:li:person:\(FakeLinkedIn.memberID)").first())
                #expect(member.handle == "Ana Baker")
                fake.expireTokens()
                clock.advance(by: 61 * 86_400)
                let checked = try await channels.check(member)
                #expect(checked.status == .needsReconnect && checked.problem?.contains("LinkedIn refused the access token") == true, "\(checked.problem ?? "")")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func postsGoAsLittleTextWithTheirMediaAndAreNeverSentTwice(_ database: TestDatabase) async throws {
        try await FakeLinkedIn.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectLinkedIn(app, fake, ana)
                let png = TestMedia.png(width: 1200, height: 800, size: 2_000)
                let image = try #require(try await app.upload(png, named: "loaf.png", alt: "A round rye loaf", as: ana).json()["id"] as? String)
                let second = try #require(try await app.upload(TestMedia.png(width: 800, height: 800), named: "seeded.png", alt: "A seeded loaf", as: ana).json()["id"] as? String)
                let padding = 9_000_000
                let free = [UInt8(padding >> 24 & 0xFF), UInt8(padding >> 16 & 0xFF), UInt8(padding >> 8 & 0xFF), UInt8(padding & 0xFF)] + Array("free".utf8)
                let video = TestMedia.mp4(seconds: 20, width: 1280, height: 720) + Data(free + [UInt8](repeating: 0, count: padding - 8))
                let film = try #require(try await app.upload(video, named: "oven.mp4", alt: "The oven", as: ana).json()["id"] as? String)
                let words = "Rye (sourdough) & spelt #bread, 50% off_today [only] @ the shop ~ *fresh* <3 | {ask} \\\\ us"
                let rye = try #require(try await app.createPost(ana, "{\"text\": \(try String(decoding: JSONEncoder().encode(words), as: UTF8.self)), \"media\": [\"\(image)\"], \"channels\": [\"\(channel)\"], \"schedule\": {\"now\": true}}")["id"] as? String)
                _ = try await app.createPost(ana, #"{"text": "Two loaves", "media": ["\#(image)", "\#(second)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                _ = try await app.createPost(ana, #"{"text": "Into the oven", "media": ["\#(film)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                #expect(try await app.publishDueDeliveries() == 3)

                let posts = fake.controls.posts.withLock { $0 }
                let first = try #require(posts.first { $0.mediaIDs.count == 1 && $0.commentary != "Into the oven" })
                #expect(first.commentary == words, "escaped as little text, so LinkedIn shows the words as written")
                #expect(first.author == Self.bakery)
                let uploaded = try #require(fake.controls.images.withLock { $0[first.mediaIDs[0]] })
                #expect(uploaded.bytes == png)
                #expect(posts.first { $0.commentary == "Two loaves" }?.mediaIDs.count == 2)
                #expect(posts.first { $0.commentary == "Into the oven" }?.mediaIDs.first?.hasPrefix("urn:li:video:") == true)
                #expect(fake.server.requests.filter { $0.path.hasPrefix("/upload/video/") }.count == 3, "the video in LinkedIn's 4 MiB parts")
                #expect(Set(fake.controls.versions.withLock { $0 }) == [LinkedInClient.version])
                let delivery = try #require(try await app.deliveries(of: rye, ana).first)
                #expect(delivery["remoteId"] as? String == first.id && delivery["remoteURL"] as? String == "https://www.linkedin.com/feed/update/\(first.id)/")

                // Posted by an attempt whose answer was lost: found, not posted again.
                let bread = try #require(try await app.createPost(ana, #"{"text": "Bread at 7 (rye)", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                let connector = try #require(app.wiring.connectors.connector(for: .linkedin))
                let account = try await app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.query(on: app.db).first()))
                let earlier = try await connector.publish(PartToPublish(text: "Bread at 7 (rye)", index: 0, idempotencyKey: "k", recordKey: "r", createdAt: Date(), maybeSentSince: nil),
                                                          thread: nil, as: account).part
                try await app.stopSending(post: bread)
                #expect(try await app.publishDueDeliveries() == 1)
                #expect(fake.controls.posts.withLock { $0.filter { $0.commentary == "Bread at 7 (rye)" }.count } == 1, "not posted twice")
                #expect(try await app.deliveries(of: bread, ana).first?["remoteId"] as? String == earlier.remoteID)

                // The same words again: LinkedIn's duplicate, in its words.
                let again = try #require(try await app.createPost(ana, #"{"text": "Two loaves", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                #expect((try await app.deliveries(of: again, ana).first?["error"] as? String)?.contains("LinkedIn refused it as a duplicate") == true)

                // A 429 without a wait waits an hour; a 401 asks to connect again.
                fake.controls.postFailures.withLock { $0 = [.tooManyRequests, .unauthorized] }
                let tea = try #require(try await app.createPost(ana, #"{"text": "Tea at 4", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let waiting = try #require(try await app.deliveries(of: tea, ana).first)
                let wait = try #require((waiting["scheduledAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }).timeIntervalSince(clock.now())
                #expect(waiting["state"] as? String == "retrying" && wait > 3_000, "\(wait)")
                clock.advance(by: wait + 1)
                try await app.publishDueDeliveries()
                let channels = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
                #expect(channels.first?["status"] as? String == "needs_reconnect")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func commentsReachTheInboxAreAnsweredAndCountsAreRead(_ database: TestDatabase) async throws {
        try await FakeLinkedIn.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connectLinkedIn(app, fake, ana)
                let soup = try #require(try await app.createPost(ana, #"{"text": "Soup of the day", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                let published = try #require(fake.controls.posts.withLock { $0.first?.id })

                #expect(try await app.pollDueInboxes() == 1)
                clock.advance(by: 600)
                #expect(try await app.pollDueInboxes() == 0, "LinkedIn's inbox is read a quarter of an hour apart at most: its limits are daily")
                let question = fake.comment("Is it vegan?", on: published)
                fake.comment("Asking too", on: published, by: "urn:li:person:tom456", replyingTo: question)
                clock.advance(by: 901)
                try await app.pollDueInboxes()
                let items = try await app.inbox(ana)
                #expect(Set(items.compactMap { $0["text"] as? String }) == ["Is it vegan?", "Asking too"], "\(items)")
                let asked = try #require(items.first { $0["text"] as? String == "Is it vegan?" })
                #expect((asked["inReplyTo"] as? [String: Any])?["post"] as? String == soup)

                let answer = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(try #require(asked["id"] as? String))/reply", as: ana,
                                               json: #"{"text": "Yes, all of it"}"#)
                #expect(answer.status == .created || answer.status == .ok, "\(answer.text)")
                try await app.publishDueDeliveries()
                let sent = try #require(fake.controls.comments.withLock { $0.last })
                #expect(sent.text == "Yes, all of it" && sent.parentURN == question && sent.actor == Self.bakery && sent.postURN == published)
                clock.advance(by: 901)
                try await app.pollDueInboxes()
                #expect(try await app.inbox(ana).count == 2, "the page's own comment is not in its inbox")

                fake.controls.posts.withLock { posts in
                    if let index = posts.firstIndex(where: { $0.id == published }) { posts[index].likes = .int(14) }
                }
                clock.advance(by: 3_601)
                try await app.refreshDueMetrics()
                let metrics = try #require(try await app.deliveryMetrics(of: soup, ana))
                #expect(metrics["likes"] as? Int == 14 && metrics["replies"] as? Int == 3, "\(metrics)")
                let followers = try await (app.db as! any SQLDatabase).raw("SELECT followers FROM channel_followers").all()
                #expect(try followers.map { try $0.decode(column: "followers", as: Int.self) } == [860])

                let connector = try #require(app.wiring.connectors.connector(for: .linkedin))
                let account = try await app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.query(on: app.db).first()))
                try await connector.delete(PublishedPart(remoteID: published, url: nil), as: account)
                #expect(try await #require(connector.metrics).metrics(of: [published], as: account).gone == [published])
            }
        }
    }
}
