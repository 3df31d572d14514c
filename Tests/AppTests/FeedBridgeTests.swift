@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// The feed bridge end to end over the API: preview, subscribing without flooding the queue,
/// each item posted once whatever the feed does, templates per channel, the queue mode, and a
/// failing feed that backs off and says why.
@Suite struct FeedBridgeTests {
    static let start = Date(timeIntervalSince1970: 1_798_761_600) // 2027-01-01T00:00:00Z

    static func entry(_ n: Int, title: String? = nil, link: String? = nil) -> FakeFeedServer.Entry {
        .init(id: "post-\(n)", title: title ?? "Bake \(n)", link: link ?? "https://bakery.example/blog/\(n)", date: start.addingTimeInterval(Double(n) * 3_600),
              summary: "<p>All about <b>bake \(n)</b> &amp; more.</p>")
    }

    @Test(arguments: TestDatabase.all)
    func previewShowsTheFeedAndItsItemsAsPlainText(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(2), Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let response = try await app.api(.POST, "/api/v1/feeds/preview", as: ana, json: #"{"url": "\#(blog.url)"}"#)
                #expect(response.status == .ok, "\(response.text)")
                let json = try response.json()
                let feed = try #require(json["feed"] as? [String: Any])
                #expect(feed["title"] as? String == "Corner Bakery blog")
                #expect(feed["link"] as? String == "https://bakery.example/blog/")
                let items = try #require(json["items"] as? [[String: Any]])
                #expect(items.map { $0["id"] as? String } == ["post-2", "post-1"])
                #expect(items.first?["title"] as? String == "Bake 2")
                #expect(items.first?["link"] as? String == "https://bakery.example/blog/2")
                #expect(items.first?["summary"] as? String == "All about bake 2 & more.")
                #expect(items.first?["published"] as? String == "2027-01-01T02:00:00Z")

                let anonymous = try await app.api(.POST, "/api/v1/feeds/preview", json: #"{"url": "\#(blog.url)"}"#)
                #expect(anonymous.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func previewSaysWhyAnAddressIsNoFeed(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let broken = try await app.api(.POST, "/api/v1/feeds/preview", as: ana, json: #"{"url": "\#(blog.baseURL)/broken.xml"}"#)
                #expect(broken.status == .unprocessableEntity)
                let error = try broken.apiError()
                #expect(error.code == "not_a_feed")
                #expect(error.message.hasPrefix("This is not a feed: line 4, column"), "\(error.message)")

                let page = try await app.api(.POST, "/api/v1/feeds/preview", as: ana, json: #"{"url": "\#(blog.baseURL)/page.html"}"#)
                let pageError = try page.apiError()
                #expect(pageError.message == "This is a web page, not a feed: give the address of its RSS, Atom or JSON feed.", "\(pageError.message)")
                #expect(pageError.code == "not_a_feed")

                let gone = try await app.api(.POST, "/api/v1/feeds/preview", as: ana, json: #"{"url": "\#(blog.baseURL)/nothing-here"}"#)
                #expect(try gone.apiError().code == "feed_unavailable")

                let ftp = try await app.api(.POST, "/api/v1/feeds/preview", as: ana, json: #"{"url": "ftp://bakery.example/feed"}"#)
                #expect(ftp.status == .unprocessableEntity)
                #expect(try ftp.apiError().fields["url"] != nil)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPrivateAddressIsNotAllowedUnlessTheOperatorSaysSo(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            try await withTrestle(database) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.addSite(ana)
                let preview = try await app.api(.POST, "/api/v1/feeds/preview", as: ana, json: #"{"url": "\#(blog.url)"}"#)
                #expect(preview.status == .unprocessableEntity)
                let error = try preview.apiError()
                #expect(error.code == "address_not_allowed")
                #expect(error.message.hasPrefix("That address is not allowed"))
                let subscribe = try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"]}"#)
                #expect(subscribe.status == .unprocessableEntity)
                #expect(try await FeedSubscription.query(on: app.db).count() == 0, "nothing is stored")
                #expect(blog.requests.isEmpty, "the loopback blog is never called")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func subscribingPostsOnlyTheNewestBackfillItemsAsDrafts(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish((1...5).reversed().map { Self.entry($0) })
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                app.wiring.clock = ManualClock(Self.start.addingTimeInterval(86_400))
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.addSite(ana)
                let response = try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"], "template": "New on the blog: {title} {link}", "backfill": 2}"#)
                #expect(response.status == .created, "\(response.text)")
                let subscription = try response.json()
                #expect(subscription["title"] as? String == "Corner Bakery blog")
                #expect(subscription["mode"] as? String == "draft")
                #expect(subscription["channels"] as? [String] == [channel.uppercased()] || subscription["channels"] as? [String] == [channel])
                #expect(subscription["lastPolledAt"] is String)
                #expect(subscription["lastError"] == nil || subscription["lastError"] is NSNull)

                let posts = try await app.postTexts(ana)
                #expect(posts.count == 2, "the back catalogue is not posted")
                #expect(Set(posts.compactMap { $0["status"] as? String }) == ["draft"])
                #expect(Set(posts.compactMap { $0["text"] as? String }) == [
                    "New on the blog: Bake 5 https://bakery.example/blog/5?utm_source=site&utm_medium=social&utm_campaign=feed",
                    "New on the blog: Bake 4 https://bakery.example/blog/4?utm_source=site&utm_medium=social&utm_campaign=feed",
                ])

                let none = try await app.subscribe(ana, #"{"url": "\#(blog.baseURL)/old.xml", "channels": ["\#(channel)"]}"#)
                #expect(none.status == .created)
                #expect(try none.json()["url"] as? String == blog.url, "a feed that moved for good is kept at its new address")
                #expect(try await app.postTexts(ana).count == 2, "without backfill nothing is posted")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func eachItemIsPostedOnceWhateverTheFeedDoesWithIt(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(2), Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Self.start.addingTimeInterval(86_400))
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.addSite(ana)
                #expect(try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"]}"#).status == .created)
                #expect(try await app.pollDueFeeds() == 0, "the next poll is 15 minutes away")

                // Unchanged: a conditional GET answered 304.
                clock.advance(by: 15 * 60)
                #expect(try await app.pollDueFeeds() == 1)
                #expect(blog.feedRequests.last?.ifNoneMatch == "\"v2\"")
                #expect(try await app.postTexts(ana).isEmpty)

                // A new item, with the old ones reordered, one rewritten under the same id and
                // one republished under a new id at the same link (tracking tags, www, slash).
                blog.publish([Self.entry(1, title: "Bake 1, revised"), Self.entry(3),
                              .init(id: "post-2-again", title: "Bake 2 (repost)", link: "http://www.bakery.example/blog/2/?utm_source=rss", date: Self.start)])
                clock.advance(by: 15 * 60)
                #expect(try await app.pollDueFeeds() == 1)
                let posts = try await app.postTexts(ana)
                #expect(posts.compactMap { $0["text"] as? String } == ["Bake 3 https://bakery.example/blog/3?utm_source=site&utm_medium=social&utm_campaign=feed"])

                // The same again, and again after the ETag changes: nothing more.
                clock.advance(by: 15 * 60)
                try await app.pollDueFeeds()
                blog.publish([Self.entry(3), Self.entry(1), Self.entry(2)])
                clock.advance(by: 15 * 60)
                try await app.pollDueFeeds()
                #expect(try await app.postTexts(ana).count == 1)
                let shown = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/feeds", as: ana).jsonArray()
                #expect(shown.count == 1)
                #expect(shown.first?["lastError"] == nil || shown.first?["lastError"] is NSNull)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func eachChannelGetsItsOwnTemplate(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let shop = try await app.addSite(ana, name: "Shop")
                let news = try await app.addSite(ana, name: "News")
                let response = try await app.subscribe(ana, #"""
                    {"url": "\#(blog.url)", "channels": ["\#(shop)", "\#(news)"], "template": "{title} {link}",
                     "templates": {"\#(news)": "{feed}: {title}\n\n{summary}\n{link}"}, "backfill": 1}
                    """#)
                #expect(response.status == .created, "\(response.text)")
                let post = try #require(try await app.postTexts(ana).first)
                let variants = try #require(post["variants"] as? [String: String])
                #expect(variants[shop.lowercased()] == "Bake 1 https://bakery.example/blog/1?utm_source=site&utm_medium=social&utm_campaign=feed")
                #expect(variants[news.lowercased()] == "Corner Bakery blog: Bake 1\n\nAll about bake 1 & more.\nhttps://bakery.example/blog/1?utm_source=site&utm_medium=social&utm_campaign=feed")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func queueModeSchedulesIntoTheNextFreePostingTimes(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Self.start.addingTimeInterval(86_400)) // Saturday 2027-01-02
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.addSite(ana)
                #expect(try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"], "mode": "queue"}"#).status == .created)

                // No posting times yet: the item waits as a draft, and the subscription says why.
                blog.publish([Self.entry(2), Self.entry(1)])
                clock.advance(by: 15 * 60)
                try await app.pollDueFeeds()
                #expect(try await app.postTexts(ana).map { $0["status"] as? String } == ["draft"])
                let list = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/feeds", as: ana).jsonArray()
                #expect((list.first?["lastError"] as? String)?.contains("has no posting times yet") == true)

                let slots = try await app.api(.PUT, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(channel)/slots", as: ana,
                                              json: #"{"slots": [{"weekday": 1, "time": "09:00"}, {"weekday": 2, "time": "09:00"}]}"#)
                #expect(slots.status == .ok, "\(slots.text)")
                blog.publish([Self.entry(4), Self.entry(3), Self.entry(2), Self.entry(1)])
                clock.advance(by: 15 * 60)
                try await app.pollDueFeeds()
                let scheduled = try await app.postTexts(ana).filter { $0["status"] as? String == "scheduled" }
                let times = scheduled.compactMap { ($0["deliveries"] as? [[String: Any]])?.first?["scheduledAt"] as? String }.sorted()
                #expect(times == ["2027-01-04T09:00:00Z", "2027-01-05T09:00:00Z"], "Monday's and Tuesday's slots, one item each")
                let texts = scheduled.sorted { (($0["deliveries"] as? [[String: Any]])?.first?["scheduledAt"] as? String ?? "") < (($1["deliveries"] as? [[String: Any]])?.first?["scheduledAt"] as? String ?? "") }
                    .compactMap { $0["text"] as? String }
                #expect(texts.first?.hasPrefix("Bake 3 ") == true, "the older item takes the earlier slot")
                let after = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/feeds", as: ana).jsonArray()
                #expect(after.first?["lastError"] == nil || after.first?["lastError"] is NSNull)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBusyFeedServerIsNotAskedBeforeItsRetryAfter(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Self.start.addingTimeInterval(86_400))
                app.wiring.clock = clock
                let (ana, path) = try await app.followOnASite(blog.url)

                // MUT: the server asks for two hours, longer than the 30 minutes of backoff
                blog.busy(retryAfter: 7_200)
                clock.advance(by: 15 * 60)
                #expect(try await app.pollDueFeeds() == 1)
                let shown = try await app.api(.GET, path, as: ana).json()
                #expect(shown["nextPollAt"] as? String == "2027-01-02T02:15:00Z", "two hours after the poll, as the server asked")
                #expect((shown["lastError"] as? String)?.isEmpty == false)

                // validate: not asked again before then, and read again after
                let asked = blog.feedRequests.count
                clock.advance(by: 3_600)
                #expect(try await app.pollDueFeeds() == 0)
                blog.busy(retryAfter: nil)
                clock.advance(by: 3_600)
                #expect(try await app.pollDueFeeds() == 1)
                #expect(blog.feedRequests.count == asked + 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailingFeedBacksOffAndSaysWhy(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Self.start.addingTimeInterval(86_400))
                app.wiring.clock = clock
                let (ana, path) = try await app.followOnASite(blog.url)

                blog.fail(true)
                clock.advance(by: 15 * 60)
                #expect(try await app.pollDueFeeds() == 1)
                var shown = try await app.api(.GET, path, as: ana).json()
                #expect(shown["lastError"] as? String == "The feed could not be read: The network refused the request (HTTP 500): 127.0.0.1 answered HTTP 500 instead of the feed.")
                #expect(shown["nextPollAt"] as? String == "2027-01-02T00:45:00Z", "twice the interval after one failure")

                clock.advance(by: 15 * 60)
                #expect(try await app.pollDueFeeds() == 0, "not before the backoff")
                clock.advance(by: 15 * 60)
                #expect(try await app.pollDueFeeds() == 1)
                shown = try await app.api(.GET, path, as: ana).json()
                #expect(shown["nextPollAt"] as? String == "2027-01-02T01:45:00Z", "the backoff doubles")

                blog.fail(false)
                blog.publish([Self.entry(2), Self.entry(1)])
                clock.advance(by: 3_600)
                #expect(try await app.pollDueFeeds() == 1)
                shown = try await app.api(.GET, path, as: ana).json()
                #expect(shown["lastError"] == nil || shown["lastError"] is NSNull)
                #expect(try await app.postTexts(ana).count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func badInputChangesNothingAndOtherWorkspacesSeeNothing(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let bo = try await app.makeMember("bo@example.com")
                let channel = try await app.addSite(ana)
                let bad = try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"], "mode": "shout", "template": "{headline}", "backfill": 500}"#)
                #expect(bad.status == .unprocessableEntity)
                #expect(Set(try bad.apiError().fields.keys) == ["mode", "template", "backfill"])
                let foreign = try await app.subscribe(bo, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"]}"#)
                #expect(try foreign.apiError().fields["channels"] != nil, "another workspace's channel is unknown")
                #expect(try await FeedSubscription.query(on: app.db).count() == 0)
                #expect(blog.requests.isEmpty, "nothing is fetched for a body that is refused")

                let id = try #require(try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"]}"#).json()["id"] as? String)
                #expect(try await app.api(.GET, "/api/v1/workspaces/\(bo.workspaceID)/feeds", as: bo).jsonArray().isEmpty)
                #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/feeds/\(id)", as: bo).status == .notFound)

                let change = try await app.api(.PATCH, "/api/v1/workspaces/\(ana.workspaceID)/feeds/\(id)", as: ana, json: #"{"mode": "queue", "template": "Fresh: {title} {link}"}"#)
                #expect(change.status == .ok, "\(change.text)")
                #expect(try change.json()["mode"] as? String == "queue")
                #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/feeds/\(id)", as: ana).status == .noContent)
                #expect(try await FeedSubscription.query(on: app.db).count() == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFeedsPageAddsAFeedWithItsFormAndShowsItsLastError(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([Self.entry(1)])
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.addSite(ana)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let path = "/workspaces/\(ana.workspaceID)/feeds"
                #expect(try await browser.get(path).text.contains("No feeds yet."))

                // a refused form says why on the form and stores nothing
                let refused = try await browser.post(path, ["url": blog.baseURL + "/page.html", "channels[]": channel, "template": "{title} {link}", "mode": "draft"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.text.contains("This is a web page, not a feed"))
                #expect(try await FeedSubscription.query(on: app.db).count() == 0)
                let forged = try await browser.post(path, ["url": blog.url, "channels[]": channel], csrf: false)
                #expect(forged.status == .forbidden)

                let added = try await browser.post(path, ["url": blog.url, "channels[]": channel, "template": "{title} {link}", "mode": "queue", "backfill": ""])
                #expect(added.status == .seeOther)
                blog.fail(true)
                let subscription = try #require(try await FeedSubscription.query(on: app.db).first())
                try await app.wiring.feedBridge(on: app.db).poll(subscription)
                let page = try await browser.get(path).text
                #expect(page.contains("Corner Bakery blog"))
                #expect(page.contains("into the queue"))
                #expect(page.contains("127.0.0.1 answered HTTP 500 instead of the feed."))
            }
        }
    }
}
