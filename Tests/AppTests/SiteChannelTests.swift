@testable import App
import Fluent
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Vapor
import VaporTesting

/// The Site channel: Trestle's own public page and RSS, Atom and JSON feeds, published to
/// through the same deliveries as every network.
@Suite struct SiteChannelTests {
    static let publicURL = URL(string: "https://social.example.com")!

    // MARK: Connecting

    @Test(arguments: TestDatabase.all)
    func aMemberWhoIsNotTheOwnerAddsASiteAndGetsItsPageAndFeedAddresses(_ database: TestDatabase) async throws {
        try await withTrestle(database, publicURL: Self.publicURL) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")

            let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ben, json: #"{"network": "site", "name": "Corner Bakery"}"#)
            #expect(response.status == .created, "\(response.text)")
            let channel = try response.json()
            #expect(channel["network"] as? String == "site")
            #expect(channel["name"] as? String == "Corner Bakery")
            #expect(channel["status"] as? String == "active")
            let site = try #require(channel["site"] as? [String: String])
            #expect(site == [
                "url": "https://social.example.com/s/corner-bakery", "rss": "https://social.example.com/s/corner-bakery/rss.xml",
                "atom": "https://social.example.com/s/corner-bakery/atom.xml", "json": "https://social.example.com/s/corner-bakery/feed.json",
            ])
            let listed = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
            #expect((listed.first?["site"] as? [String: String])?["url"] == site["url"])

            // Nothing outside to ask: checking a site keeps it active.
            let id = try #require(channel["id"] as? String)
            let checked = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(id)/check", as: ana)
            #expect(checked.status == .ok)
            #expect(try checked.json()["status"] as? String == "active")

            let page = try await app.api(.GET, "/s/corner-bakery")
            #expect(page.status == .ok)
            #expect(page.text.contains("Nothing published here yet."))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSiteNeedsAName(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana, json: #"{"network": "site", "name": "  "}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.apiError().fields["name"]?.contains("Give the site a name") == true)
            let foreign = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana, json: #"{"network": "site", "name": "Bakery", "appPassword": ""}"#)
            #expect(foreign.status == .unprocessableEntity, "another network's field is refused, not ignored")
            #expect(try foreign.apiError().fields["appPassword"] != nil)
            #expect(try await App.Channel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func slugsAreUniqueAcrossTheInstallationKeptOnRenameAndNeverHandedOutAgain(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let cleo = try await app.makeMember("cleo@example.com", workspace: "Elsewhere")
            #expect(try await app.addSite(ana, "Corner Bakery").slug == "corner-bakery")
            #expect(try await app.addSite(cleo, "Corner bakery!").slug == "corner-bakery-2", "another workspace's site keeps its address")
            #expect(try await app.addSite(ana, "CORNER  bakery").slug == "corner-bakery-3")
            #expect(try await app.addSite(ana, "Café Müller").slug == "cafe-muller")
            #expect(try await app.addSite(ana, "???").slug == "site")

            let (id, _) = try await app.addSite(ana, "Old Mill")
            let etag = try #require(try await app.api(.GET, "/s/old-mill/atom.xml").headers.first(name: .eTag))
            let renamed = try await app.api(.PATCH, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(id)", as: ana, json: #"{"name": "New Mill"}"#)
            #expect(try renamed.json()["name"] as? String == "New Mill")
            #expect((try renamed.json()["site"] as? [String: String])?["url"]?.hasSuffix("/s/old-mill") == true)
            #expect(try await app.api(.GET, "/s/old-mill").text.contains("New Mill"))
            #expect(try await app.api(.GET, "/s/new-mill").status == .notFound)
            #expect(try await app.api(.GET, "/s/old-mill/atom.xml", headers: ["If-None-Match": etag]).status == .ok, "the new name is a new version")

            // A disconnected site's address is never handed to another site.
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(id)", as: ana).status == .noContent)
            #expect(try await app.api(.GET, "/s/old-mill").status == .notFound)
            #expect(try await app.addSite(cleo, "Old Mill").slug == "old-mill-2")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSiteIsAddedFromTheChannelsPage(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let channels = "/workspaces/\(ana.workspaceID)/channels"
            #expect(try await browser.get(channels).text.contains("Add a Site"))
            let added = try await browser.post(channels, ["network": "site", "name": "Corner Bakery", "timezone": "Europe/Berlin"])
            #expect(added.status == .seeOther || added.status == .found, "\(added.text)")
            let page = try await browser.get(channels).text
            #expect(page.contains(#"href="/s/corner-bakery""#))
            let refused = try await browser.post(channels, ["network": "site", "name": ""])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Give the site a name"))
        }
    }

    // MARK: Publishing

    @Test(arguments: TestDatabase.all)
    func postsScheduledQueuedOrSentNowAppearOnThePageAndInAllThreeFeeds(_ database: TestDatabase) async throws {
        try await withTrestle(database, publicURL: Self.publicURL) { app in
            let clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
            app.wiring.clock = clock
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, "Corner Bakery")
            let slots = try await app.api(.PUT, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(site)/slots", as: ana, json: #"{"slots": [{"weekday": 2, "time": "10:00"}]}"#)
            #expect(slots.status == .ok)

            let now = try await app.createPost(ana, #"{"text": "Rye is out of the oven", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            let later = try await app.createPost(ana, #"{"text": "Croissants at noon", "channels": ["\#(site)"], "schedule": {"at": "2026-12-07T12:00:00Z"}}"#)
            let queued = try await app.createPost(ana, #"{"text": "Stollen season", "channels": ["\#(site)"], "schedule": {"queue": true}}"#)
            #expect(try await app.publishDueDeliveries() == 1)
            #expect(try await app.siteTitles(slug) == ["Rye is out of the oven"], "only what is published shows")

            clock.set(Self.utc("2026-12-07T12:00:01Z"))
            #expect(try await app.publishDueDeliveries() == 1)
            clock.set(Self.utc("2026-12-08T10:00:01Z"))
            #expect(try await app.publishDueDeliveries() == 1)

            for post in [now, later, queued] {
                let postID = try #require(post["id"] as? String)
                let delivery = try #require(try await app.deliveries(of: postID, ana).first)
                #expect(delivery["state"] as? String == "published")
                let entry = try #require(delivery["remoteId"] as? String)
                #expect(delivery["remoteURL"] as? String == "https://social.example.com/s/\(slug)/\(entry)")
                let own = try await app.api(.GET, "/s/\(slug)/\(entry)")
                #expect(own.status == .ok)
                #expect(own.text.contains(#"<meta property="og:type" content="article">"#))
            }

            // Newest first, on the page and in every feed, with the same stable ids.
            let page = try await app.api(.GET, "/s/\(slug)")
            #expect(page.status == .ok)
            #expect(page.headers.first(name: .contentType)?.hasPrefix("text/html") == true)
            #expect(try await app.siteTitles(slug) == ["Stollen season", "Croissants at noon", "Rye is out of the oven"])
            for tag in [
                #"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
                #"<meta property="og:title" content="Corner Bakery">"#,
                #"<meta property="og:url" content="https://social.example.com/s/corner-bakery">"#,
                #"<meta property="og:description" content="Stollen season">"#,
                #"<link rel="alternate" type="application/rss+xml" title="Corner Bakery (RSS)" href="https://social.example.com/s/corner-bakery/rss.xml">"#,
                #"<link rel="alternate" type="application/atom+xml" title="Corner Bakery (Atom)" href="https://social.example.com/s/corner-bakery/atom.xml">"#,
                #"<link rel="alternate" type="application/feed+json" title="Corner Bakery (JSON Feed)" href="https://social.example.com/s/corner-bakery/feed.json">"#,
            ] {
                #expect(page.text.contains(tag), "\(tag)")
            }
            #expect(page.headers.first(name: "Content-Security-Policy") != nil, "the security headers of every page")

            let ids = try await app.siteEntryIDs(slug)
            let rss = try await app.api(.GET, "/s/\(slug)/rss.xml")
            #expect(rss.headers.first(name: .contentType) == "application/rss+xml; charset=utf-8")
            let rssDoc = try XMLDocumentSummary(rss.text)
            #expect(rssDoc.root == "rss")
            #expect(rssDoc.attributes["rss"]?["version"] == "2.0")
            #expect(rssDoc.texts("rss/channel/item/guid") == ids.map { "urn:uuid:\($0)" })
            #expect(rssDoc.texts("rss/channel/item/link") == ids.map { "https://social.example.com/s/\(slug)/\($0)" })
            #expect(rssDoc.texts("rss/channel/item/pubDate") == ["Tue, 08 Dec 2026 10:00:01 +0000", "Mon, 07 Dec 2026 12:00:01 +0000", "Mon, 07 Dec 2026 08:00:00 +0000"])
            #expect(rssDoc.texts("rss/channel/title") == ["Corner Bakery"])
            #expect(rssDoc.attributes["rss/channel/atom:link"]?["rel"] == "self")
            #expect(rssDoc.attributes["rss/channel/atom:link"]?["href"] == "https://social.example.com/s/corner-bakery/rss.xml")

            let atom = try await app.api(.GET, "/s/\(slug)/atom.xml")
            #expect(atom.headers.first(name: .contentType) == "application/atom+xml; charset=utf-8")
            let atomDoc = try XMLDocumentSummary(atom.text)
            #expect(atomDoc.root == "feed")
            #expect(atomDoc.texts("feed/entry/id") == ids.map { "urn:uuid:\($0)" })
            #expect(atomDoc.texts("feed/entry/published") == ["2026-12-08T10:00:01Z", "2026-12-07T12:00:01Z", "2026-12-07T08:00:00Z"])
            #expect(atomDoc.texts("feed/updated") == ["2026-12-08T10:00:01Z"])
            #expect(atomDoc.texts("feed/entry/title") == ["Stollen season", "Croissants at noon", "Rye is out of the oven"])

            let json = try await app.api(.GET, "/s/\(slug)/feed.json")
            #expect(json.headers.first(name: .contentType) == "application/feed+json; charset=utf-8")
            let feed = try json.json()
            #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
            #expect(feed["home_page_url"] as? String == "https://social.example.com/s/corner-bakery")
            #expect(feed["feed_url"] as? String == "https://social.example.com/s/corner-bakery/feed.json")
            let items = try #require(feed["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["id"] as? String } == ids.map { "urn:uuid:\($0)" })
            #expect(items.compactMap { $0["content_text"] as? String } == ["Stollen season", "Croissants at noon", "Rye is out of the oven"])
            #expect(items.first?["date_published"] as? String == "2026-12-08T10:00:01Z")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aThreadIsOneEntryWithItsPartsInOrder(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, "Corner Bakery")
            _ = try await app.createPost(ana, #"{"text": "How we bake rye", "thread": ["First the starter.", "Then the long rest."], "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 1)

            let ids = try await app.siteEntryIDs(slug)
            #expect(ids.count == 1)
            let page = try await app.api(.GET, "/s/\(slug)").text
            let first = try #require(page.range(of: "How we bake rye"))
            let second = try #require(page.range(of: "First the starter."))
            let third = try #require(page.range(of: "Then the long rest."))
            #expect(first.upperBound < second.lowerBound && second.upperBound < third.lowerBound)
            #expect(page.contains(#"id="part-3""#))
            let items = try #require(try await app.api(.GET, "/s/\(slug)/feed.json").json()["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["content_text"] as? String == "How we bake rye\n\nFirst the starter.\n\nThen the long rest.")
            let delivery = try #require(try await Delivery.query(on: app.db).first())
            #expect(delivery.remoteURL == "/s/\(slug)/\(ids[0])", "without TRESTLE_PUBLIC_URL the address is a path on Trestle's own host")
        }
    }

    @Test(arguments: TestDatabase.all)
    func imagesAreShownWithTheirAltTextAndServedPublicly(_ database: TestDatabase) async throws {
        try await withTrestle(database, publicURL: Self.publicURL) { app in
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, "Corner Bakery")
            let upload = try await app.upload(TestMedia.png(width: 40, height: 30), named: "rye.png", alt: "A dark rye loaf on a board", as: ana)
            let media = try #require(try upload.json()["id"] as? String)
            _ = try await app.createPost(ana, #"{"text": "Rye today", "media": ["\#(media)"], "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 1)

            let id = try #require(try await app.siteEntryIDs(slug).first)
            let image = "/s/\(slug)/\(id)/media/0"
            let page = try await app.api(.GET, "/s/\(slug)").text
            #expect(page.contains(#"<img src="\#(image)" alt="A dark rye loaf on a board" loading="lazy" width="40" height="30">"#))
            #expect(page.contains(#"<meta property="og:image" content="https://social.example.com\#(image)">"#))
            let file = try await app.api(.GET, image)
            #expect(file.status == .ok)
            #expect(file.headers.first(name: .contentType) == "image/png")
            #expect(Data(file.body.readableBytesView) == TestMedia.png(width: 40, height: 30))
            #expect(try await app.api(.GET, "/s/\(slug)/\(id)/media/1").status == .notFound)

            let items = try #require(try await app.api(.GET, "/s/\(slug)/feed.json").json()["items"] as? [[String: Any]])
            #expect(items.first?["image"] as? String == "https://social.example.com\(image)")
            #expect((items.first?["content_html"] as? String)?.contains(#"alt="A dark rye loaf on a board""#) == true)
            let rss = try XMLDocumentSummary(try await app.api(.GET, "/s/\(slug)/rss.xml").text)
            #expect(rss.attributes["rss/channel/item/enclosure"]?["url"] == "https://social.example.com\(image)")
            #expect(rss.attributes["rss/channel/item/enclosure"]?["type"] == "image/png")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDeletedPostLeavesThePageAndTheFeeds(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, "Corner Bakery")
            let kept = try await app.createPost(ana, #"{"text": "Kept post", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            let gone = try await app.createPost(ana, #"{"text": "Regretted post", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 2)
            let goneID = try #require(gone["id"] as? String)
            let goneEntry = try #require(try await app.deliveries(of: goneID, ana).first?["remoteId"] as? String)
            let etag = try #require(try await app.api(.GET, "/s/\(slug)/rss.xml").headers.first(name: .eTag))

            let deleted = try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(goneID)", as: ana)
            #expect(deleted.status == .noContent)
            #expect(try await app.siteTitles(slug) == ["Kept post"])
            #expect(try await app.api(.GET, "/s/\(slug)/\(goneEntry)").status == .notFound)
            for feed in ["rss.xml", "atom.xml", "feed.json"] {
                #expect(!(try await app.api(.GET, "/s/\(slug)/\(feed)").text.contains("Regretted")), "\(feed)")
            }
            let again = try await app.api(.GET, "/s/\(slug)/rss.xml", headers: ["If-None-Match": etag])
            #expect(again.status == .ok, "a reader that held the deleted entry gets the feed again")
            _ = kept
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReaderAskingModifiedSinceGetsTheFeedAgainAfterTheNewestEntryIsDeleted(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, "Corner Bakery")
            _ = try await app.createPost(ana, #"{"text": "Kept post", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            let gone = try await app.createPost(ana, #"{"text": "Regretted post", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 2)
            let lastModified = try #require(try await app.api(.GET, "/s/\(slug)/rss.xml").headers.first(name: .lastModified))

            // An hour later the newest entry is deleted; a reader with only the date asks again.
            app.wiring.clock = ManualClock(Date().addingTimeInterval(3_600))
            let goneID = try #require(gone["id"] as? String)
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(goneID)", as: ana).status == .noContent)
            let again = try await app.api(.GET, "/s/\(slug)/rss.xml", headers: ["If-Modified-Since": lastModified])
            #expect(again.status == .ok)
            #expect(!again.text.contains("Regretted") && again.text.contains("Kept post"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func feedsAndThePageAnswer304ToAClientThatHasTheNewestVersion(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, "Corner Bakery")
            _ = try await app.createPost(ana, #"{"text": "First", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 1)

            for path in ["/s/\(slug)", "/s/\(slug)/rss.xml", "/s/\(slug)/atom.xml", "/s/\(slug)/feed.json"] {
                let first = try await app.api(.GET, path)
                #expect(first.status == .ok)
                #expect(first.headers.first(name: .cacheControl) == "public, max-age=300")
                let etag = try #require(first.headers.first(name: .eTag), "\(path)")
                let lastModified = try #require(first.headers.first(name: .lastModified), "\(path)")
                let byTag = try await app.api(.GET, path, headers: ["If-None-Match": etag])
                #expect(byTag.status == .notModified, "\(path)")
                #expect(byTag.body.readableBytes == 0)
                #expect(try await app.api(.GET, path, headers: ["If-Modified-Since": lastModified]).status == .notModified, "\(path)")
                #expect(try await app.api(.GET, path, headers: ["If-None-Match": #""other""#]).status == .ok)
                #expect(try await app.api(.GET, path, headers: ["If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"]).status == .ok)
            }
            let etag = try #require(try await app.api(.GET, "/s/\(slug)/atom.xml").headers.first(name: .eTag))
            _ = try await app.createPost(ana, #"{"text": "Second", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 1)
            let changed = try await app.api(.GET, "/s/\(slug)/atom.xml", headers: ["If-None-Match": etag])
            #expect(changed.status == .ok, "a new entry is a new version")
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePageIsPagedNewestFirstWithABeforeCursor(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            // One instant for all: the order and the cursor must hold on ties too.
            app.wiring.clock = ManualClock(Self.utc("2026-12-07T08:00:00Z"))
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, "Corner Bakery")
            for number in 1...25 {
                _ = try await app.createPost(ana, #"{"text": "Post number \#(number)", "channels": ["\#(site)"], "schedule": {"now": true}}"#)
            }
            #expect(try await app.publishDueDeliveries() == 25)

            let first = try await app.api(.GET, "/s/\(slug)").text
            let firstIDs = Self.entryIDs(in: first)
            #expect(firstIDs.count == 20)
            let older = try #require(first.firstMatch(of: /href="(\/s\/corner-bakery\?before=[0-9a-f-]{36})" rel="next"/)?.1)
            let second = try await app.api(.GET, String(older)).text
            let secondIDs = Self.entryIDs(in: second)
            #expect(secondIDs.count == 5)
            #expect(Set(firstIDs).isDisjoint(with: secondIDs))
            #expect(!second.contains(#"rel="next""#), "the last page links no further")
            #expect(Set(firstIDs + secondIDs).count == 25)
            #expect(try await app.api(.GET, "/s/\(slug)?before=not-an-entry").status == .unprocessableEntity)
            let feedItems = try #require(try await app.api(.GET, "/s/\(slug)/feed.json").json()["items"] as? [[String: Any]])
            #expect(feedItems.count == 20, "a feed carries the newest page")
        }
    }

    // MARK: Hostile text

    @Test(arguments: TestDatabase.all)
    func hostileTextIsEscapedOnThePageAndInEveryFeed(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let (site, slug) = try await app.addSite(ana, #"Bad "Name" <i>"#)
            let hostile = "<script>alert(\"x\")</script> ]]> 'quoted' & more\u{1} https://example.com/?a=1&b=%22 @eve@evil.example #tag<b>"
            let body = try JSONSerialization.data(withJSONObject: ["text": hostile, "channels": [site], "schedule": ["now": true]])
            _ = try await app.createPost(ana, String(decoding: body, as: UTF8.self))
            #expect(try await app.publishDueDeliveries() == 1)

            let page = try await app.api(.GET, "/s/\(slug)").text
            #expect(!page.contains("<script>alert"))
            #expect(!page.contains("<i>"))
            #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; &#39;quoted&#39; &amp; more"))
            #expect(page.contains(#"<a href="https://example.com/?a=1&amp;b=%22" rel="nofollow ugc noopener">https://example.com/?a=1&amp;b=%22</a>"#))
            #expect(page.contains(#"<a href="https://evil.example/@eve" rel="nofollow ugc noopener" class="mention">@eve@evil.example</a>"#))
            #expect(page.contains(#"<span class="tag">#tag</span>&lt;b&gt;"#))

            for feed in ["rss.xml", "atom.xml"] {
                let xml = try XMLDocumentSummary(try await app.api(.GET, "/s/\(slug)/\(feed)").text)
                let content = feed == "rss.xml" ? xml.texts("rss/channel/item/description") : xml.texts("feed/entry/content")
                // Parsed once, the content is the page's HTML: the hostile text still escaped in it.
                #expect(content.first?.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt;") == true, "\(feed): \(content)")
                #expect(content.first?.contains("<script>") == false)
                let title = feed == "rss.xml" ? xml.texts("rss/channel/title") : xml.texts("feed/title")
                #expect(title == [#"Bad "Name" <i>"#])
            }
            let item = try #require((try await app.api(.GET, "/s/\(slug)/feed.json").json()["items"] as? [[String: Any]])?.first)
            #expect(item["content_text"] as? String == hostile)
            #expect((item["content_html"] as? String)?.contains("<script>") == false)
        }
    }

    // MARK: Helpers

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func entryIDs(in page: String) -> [String] {
        page.matches(of: /<article class="site-entry" id="entry-([0-9a-f-]{36})">/).map { String($0.1) }
    }
}

extension Application {
    /// Adds a Site channel over the API; returns its id and slug.
    func addSite(_ member: Member, _ name: String) async throws -> (id: String, slug: String) {
        let body = try JSONSerialization.data(withJSONObject: ["network": "site", "name": name])
        let response = try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member, json: String(decoding: body, as: UTF8.self))
        #expect(response.status == .created, "\(response.text)")
        let channel = try response.json()
        let url = try #require((channel["site"] as? [String: String])?["url"])
        return (try #require(channel["id"] as? String), String(url.split(separator: "/").last ?? ""))
    }

    /// Someone new who accepted an invitation into `owner`'s workspace, a member but not its owner.
    func joinAnasWorkspace(_ owner: Member, as email: String) async throws -> Member {
        let (_, token) = try await InvitationService(db: db).create(for: owner.workspace, by: owner.user)
        let person = try await makeMember(email, workspace: "Own")
        #expect(try await api(.POST, "/api/v1/invitations/\(token)/accept", as: person).status == .ok)
        return Member(user: person.user, workspace: owner.workspace, token: person.token, password: person.password)
    }

    /// The entries of a site's first page, by their JSON Feed titles.
    func siteTitles(_ slug: String) async throws -> [String] {
        let items = try #require(try await api(.GET, "/s/\(slug)/feed.json").json()["items"] as? [[String: Any]])
        return items.compactMap { $0["title"] as? String }
    }

    func siteEntryIDs(_ slug: String) async throws -> [String] {
        SiteChannelTests.entryIDs(in: try await api(.GET, "/s/\(slug)").text)
    }
}

/// A parsed XML document as text and attributes by slash-separated element path: enough to check
/// a feed's structure, and proof that it parses.
struct XMLDocumentSummary {
    var root = ""
    private(set) var textsByPath: [String: [String]] = [:]
    private(set) var attributes: [String: [String: String]] = [:]

    init(_ xml: String) throws {
        let parser = XMLParser(data: Data(xml.utf8))
        let delegate = Collector()
        parser.delegate = delegate
        guard parser.parse() else { throw TestSetupError("not well-formed XML: \(parser.parserError.map(String.init(describing:)) ?? "?")\n\(xml)") }
        root = delegate.root
        textsByPath = delegate.texts
        attributes = delegate.attributes
    }

    func texts(_ path: String) -> [String] { textsByPath[path] ?? [] }

    private final class Collector: NSObject, XMLParserDelegate {
        var root = ""
        var stack: [String] = []
        var buffers: [String] = []
        var texts: [String: [String]] = [:]
        var attributes: [String: [String: String]] = [:]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes attributeDict: [String: String] = [:]) {
            if stack.isEmpty { root = name }
            stack.append(name)
            buffers.append("")
            let path = stack.joined(separator: "/")
            if attributes[path] == nil { attributes[path] = attributeDict }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !buffers.isEmpty { buffers[buffers.count - 1] += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let text = buffers.removeLast()
            texts[stack.joined(separator: "/"), default: []].append(text.trimmingCharacters(in: .whitespacesAndNewlines))
            stack.removeLast()
        }
    }
}
