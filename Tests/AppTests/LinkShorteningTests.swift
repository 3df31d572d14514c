@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// A scheduled post's links go out as its delivery's own short links, tagged with the network
/// and the campaign, the same on a retry; counted by the network's rules as they go out; off per
/// post, per workspace, and where Trestle does not know its public address.
@Suite struct LinkShorteningTests {
    static let publicURL = URL(string: "https://social.bakery.example")!

    @Test(arguments: TestDatabase.all)
    func aPublishedPostsLinkIsItsDeliverysShortLinkWithTheNetworkAndCampaign(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                // The first try fails on the instance's side: the retry must send the same text.
                mastodon.controls.postFailures.withLock { $0 = [.internalServerError] }
                _ = try await app.createPost(ana, #"{"text": "Rye is back: https://corner-bakery.com/rye?loaf=1 — and https://corner-bakery.com/rye?loaf=1 again", "campaign": "Rye week", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                try await app.publishDueDeliveries()
                #expect(try await Delivery.query(on: app.db).first()?.state == .retrying)
                try await app.retryNow()

                let links = try await ShortLink.query(on: app.db).all()
                let link = try #require(links.first)
                #expect(links.count == 1, "one short link per delivery and address, kept across the retry")
                #expect(link.source == .mastodon)
                #expect(link.deliveryID == (try await Delivery.query(on: app.db).first()?.id))
                #expect(link.channelID?.uuidString == channel)
                let status = try #require(mastodon.controls.statuses.withLock { $0 }.last)
                #expect(mastodon.controls.statuses.withLock { $0.count } == 1)
                #expect(status.text == "Rye is back: https://social.bakery.example/l/\(link.code) — and https://social.bakery.example/l/\(link.code) again")

                let response = try await app.api(.GET, "/l/\(link.code)", headers: LinkTests.browser)
                let query = Dictionary(uniqueKeysWithValues: (URLComponents(string: try #require(response.headers.first(name: .location)))?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
                #expect(query["loaf"] == "1")
                #expect(query["utm_source"] == "mastodon")
                #expect(query["utm_medium"] == "social")
                #expect(query["utm_campaign"] == "Rye week")
                #expect(query["tc"]?.count == 16)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func linksStayAsWrittenWhenThePostTheWorkspaceOrTheSetupSaysSo(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            for setup in ["post", "workspace", "no public address"] {
                try await withTrestle(database, publicURL: setup == "no public address" ? nil : Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana-\(setup.count)@example.com")
                    let channel = try await app.connectMastodon(ana, mastodon)
                    if setup == "workspace" {
                        let changed = try await app.api(.PATCH, "/api/v1/workspaces/\(ana.workspaceID)/tracking", as: ana, json: #"{"shortenLinks": false}"#)
                        #expect(try changed.json()["shortenLinks"] as? Bool == false)
                    }
                    let off = setup == "post" ? #", "shortenLinks": false"# : ""
                    let post = try await app.createPost(ana, #"{"text": "Menu: https://corner-bakery.com/menu (\#(setup))", "channels": ["\#(channel)"], "schedule": {"now": true}\#(off)}"#)
                    #expect(post["shortenLinks"] as? Bool == (setup != "post"))
                    try await app.publishDueDeliveries()
                    #expect(mastodon.controls.statuses.withLock { $0 }.last?.text == "Menu: https://corner-bakery.com/menu (\(setup))", "\(setup)")
                    #expect(try await ShortLink.query(on: app.db).count() == 0)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLongLinkIsCountedAsTheShortLinkItWillGoOutAs(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { bluesky in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectBluesky(ana, bluesky)
                // 250 characters and a 100-character link: 351 graphemes as written, 291 once shortened.
                let text = String(repeating: "a", count: 250) + " https://corner-bakery.com/" + String(repeating: "b", count: 76)
                let fits = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana,
                                             json: #"{"text": "\#(text)", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                #expect(fits.status == .created, "\(fits.text)")
                let refused = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana,
                                                json: #"{"text": "\#(text)", "channels": ["\#(channel)"], "schedule": {"now": true}, "shortenLinks": false}"#)
                #expect(refused.status == .unprocessableEntity, "as written it is too long for Bluesky")
                try await app.publishDueDeliveries()
                let record = try #require(bluesky.controls.recordObjects.last)
                let code = try #require(try await ShortLink.query(on: app.db).first()?.code)
                #expect((record["text"] as? String)?.hasSuffix("https://social.bakery.example/l/\(code)") == true)
            }
        }
    }
}

extension LinkShorteningTests {
    @Test(arguments: TestDatabase.all)
    func theComposerCountsAndSavesWhatItsLinksBoxSays(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { bluesky in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectBluesky(ana, bluesky)
                let text = String(repeating: "a", count: 250) + " https://corner-bakery.com/" + String(repeating: "b", count: 76)
                // The live counter: as the short link it will go out as, unless the box is unticked.
                let check = "/api/v1/workspaces/\(ana.workspaceID)/compose/check"
                let counted = try await app.api(.POST, check, as: ana, json: #"{"text": "\#(text)", "channels": ["\#(channel)"]}"#).json()
                let result = try #require((counted["results"] as? [String: Any])?[channel] as? [String: Any])
                #expect(result["valid"] as? Bool == true)
                #expect(result["length"] as? Int == 291)
                #expect(((result["facets"] as? [[String: Any]])?.first?["features"] as? [[String: Any]])?.first?["uri"] as? String == "https://corner-bakery.com/" + String(repeating: "b", count: 76),
                        "the links found are the text's own")
                let asWritten = try await app.api(.POST, check, as: ana, json: #"{"text": "\#(text)", "channels": ["\#(channel)"], "shortenLinks": false}"#).json()
                #expect(((asWritten["results"] as? [String: Any])?[channel] as? [String: Any])?["valid"] as? Bool == false)

                // The composer's form: an unticked box turns short links off for the post.
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let composer = try await browser.get("/workspaces/\(ana.workspaceID)/compose")
                #expect(composer.body.string.contains(#"id="shorten-links" name="shortenLinks" checked"#))
                let saved = try await browser.post("/workspaces/\(ana.workspaceID)/posts", ["parts[]": "Menu https://corner-bakery.com/menu", "channels[]": channel, "when": "draft",
                                                                                          "linksShown": "1", "campaign": " Winter menu "])
                #expect(saved.status == .seeOther, "\(saved.body.string.prefix(300))")
                let post = try #require(try await Post.query(on: app.db).first())
                #expect(post.shortensLinks == false)
                #expect(post.campaign == "Winter menu")
                let reopened = try await browser.get("/workspaces/\(ana.workspaceID)/posts/\(try post.requireID())/edit")
                #expect(reopened.body.string.contains(#"id="shorten-links" name="shortenLinks" >"#), "the box shows the post's choice")
                #expect(reopened.body.string.contains(#"value="Winter menu""#))
            }
        }
    }
}

extension Application {
    /// Moves every retrying delivery's time to now and publishes what is due.
    func retryNow() async throws {
        for delivery in try await Delivery.query(on: db).filter(\.$state ~~ [.retrying, .unknown]).all() {
            delivery.scheduledAt = Date().addingTimeInterval(-1)
            try await delivery.save(on: db)
            try await wiring.jobs(on: db).enqueue(DeliveryService.publishJob, payload: #"{"delivery":"\#(try delivery.requireID().uuidString)"}"#)
        }
        try await publishDueDeliveries()
    }
}

extension LinkShorteningTests {
    /// The shop owner's question, end to end: a post's link is clicked, the order is reported by
    /// the script, the shop's server and the month's CSV — and the report shows one sale, for
    /// that post on that channel.
    @Test(arguments: TestDatabase.all)
    func aSaleFromAPostsLinkReportedThreeWaysIsOneSaleOfThatPost(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, publicURL: Self.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let other = try await app.createPost(ana, #"{"text": "Bread https://corner-bakery.com/bread", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                let cakes = try await app.createPost(ana, #"{"text": "Cakes https://corner-bakery.com/cakes", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                try await app.publishDueDeliveries()
                let cakesID = try #require(cakes["id"] as? String)
                let link = try #require(try await ShortLink.query(on: app.db).filter(\.$postID == UUID(uuidString: cakesID)).first())
                let clickID = try await app.click(["shortURL": "\(Self.publicURL.absoluteString)/l/\(link.code)"])

                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                let key = try #require(try await app.api(.GET, "\(ws)/tracking", as: ana).json()["publicKey"] as? String)
                let sale = #""kind": "sale", "orderId": "C-77", "value": 30, "currency": "EUR", "clickId": "\#(clickID)""#
                #expect(try await app.api(.POST, "/t/conversions", json: #"{"key": "\#(key)", \#(sale)}"#, contentType: "text/plain").status == .accepted)
                #expect(try await app.api(.POST, "\(ws)/conversions", as: ana, json: "{\(sale)}").status == .ok)
                let csv = "kind,order_id,value,currency,click_id\nsale,C-77,30.00,EUR,\(clickID)\n"
                #expect(try await app.api(.POST, "\(ws)/conversions/import", as: ana, json: csv, contentType: "text/csv").json()["repeated"] as? Int == 1)

                let report = try await app.api(.GET, "\(ws)/reports", as: ana).json()
                let posts = try #require(report["posts"] as? [[String: Any]])
                let row = try #require(posts.first { $0["postId"] as? String == cakesID.lowercased() })
                let counts = try #require(row["counts"] as? [String: Any])
                #expect(counts["clicks"] as? Int == 1)
                #expect(counts["sales"] as? Int == 1)
                #expect((counts["revenue"] as? [String: Any])?["EUR"] as? Double == 30)
                let otherRow = try #require(posts.first { $0["postId"] as? String == (other["id"] as? String)?.lowercased() })
                #expect((otherRow["counts"] as? [String: Any])?["sales"] as? Int == 0)
                #expect((report["totals"] as? [String: Any])?["sales"] as? Int == 1)
            }
        }
    }
}
