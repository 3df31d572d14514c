@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// "Which of my blog posts and which evergreen items sell?": a sale through the short link of a
/// post made from a feed item or from a library item is traced to that feed or item — in the
/// answer to the report of the sale, in the campaign of the link, and in the report's sources,
/// whose rows add up to the totals like every other table.
@Suite struct SaleOriginTests {
    static let monday = ISO8601DateFormatter().date(from: "2027-01-04T00:00:00Z")!

    @Test(arguments: TestDatabase.all)
    func aSaleIsTracedToTheFeedOrLibraryItemItsPostWasMadeFrom(_ database: TestDatabase) async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([FeedBridgeTests.entry(1, title: "Why rye", link: "https://corner-bakery.com/blog/rye")])
            try await FakeMastodon.with { mastodon in
                try await withTrestle(database, publicURL: LinkShorteningTests.publicURL, fetchAllow: ["127.0.0.1"]) { app in
                    // setup: a library item bound to Monday 09:00, a feed's newest item as a draft
                    // sent at once, and a post written by hand.
                    let clock = ManualClock(Self.monday)
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    let channel = try await app.connectMastodon(ana, mastodon)
                    let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                    let category = try #require(try await app.api(.POST, "\(ws)/library/categories", as: ana, json: #"{"name": "Classes", "minDaysBetween": 7}"#).json()["id"] as? String)
                    let item = try #require(try await app.api(.POST, "\(ws)/library/items", as: ana,
                                                              json: #"{"category": "\#(category)", "text": "Sourdough class https://corner-bakery.com/class"}"#).json()["id"] as? String)
                    let slots = try await app.api(.PUT, "\(ws)/channels/\(channel)/slots", as: ana, json: #"{"slots": [{"weekday": 1, "time": "09:00", "category": "\#(category)"}]}"#)
                    #expect(slots.status == .ok, "\(slots.text)")
                    try await app.wiring.libraryFiller(on: app.db).fillSlots()

                    let subscribed = try await app.subscribe(ana, #"{"url": "\#(blog.url)", "channels": ["\#(channel)"], "template": "{title} {link}", "backfill": 1}"#)
                    let feed = try #require(try subscribed.json()["id"] as? String, "\(subscribed.text)")
                    let draft = try #require(try await app.postTexts(ana).first { ($0["text"] as? String)?.hasPrefix("Why rye") == true }?["id"] as? String)
                    #expect(try await app.api(.PATCH, "\(ws)/posts/\(draft)", as: ana, json: #"{"schedule": {"now": true}}"#).status == .ok)
                    let written = try await app.createPost(ana, #"{"text": "Fresh loaves https://corner-bakery.com/loaves", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                    clock.advance(by: 15 * 3_600)  // 09:00 in the channel's zone is before 15:00 UTC
                    try await app.publishDueDeliveries()

                    func shortLink(to destination: String) async throws -> ShortLink {
                        let links = try await ShortLink.query(on: app.db).all()
                        let deliveries = try await Delivery.query(on: app.db).all().map { "\($0.state) \($0.scheduledAt) \($0.error ?? "-")" }
                        return try #require(links.first { $0.url.hasPrefix(destination) }, "no short link to \(destination) among \(links.map(\.url)); \(deliveries)")
                    }
                    let classLink = try await shortLink(to: "https://corner-bakery.com/class")
                    let ryeLink = try await shortLink(to: "https://corner-bakery.com/blog/rye")
                    let loavesLink = try await shortLink(to: "https://corner-bakery.com/loaves")
                    #expect(classLink.campaign == "Classes", "a library post's links are tagged with its category")
                    #expect(ryeLink.campaign == "Corner Bakery blog", "a feed post's links are tagged with the feed's title")

                    // MUT: one sale through each post's link, reported by the shop's server.
                    func sale(_ order: String, value: Int, through link: ShortLink) async throws -> [String: Any] {
                        let click = try await app.click(["shortURL": "\(LinkShorteningTests.publicURL.absoluteString)/l/\(link.code)"])
                        let response = try await app.api(.POST, "\(ws)/conversions", as: ana,
                                                         json: #"{"kind": "sale", "orderId": "\#(order)", "value": \#(value), "currency": "EUR", "clickId": "\#(click)"}"#)
                        #expect(response.status == .created, "\(response.text)")
                        return try #require(try response.json()["attribution"] as? [String: Any], "\(response.text)")
                    }
                    let classSale = try await sale("A-1", value: 80, through: classLink)
                    let ryeSale = try await sale("A-2", value: 12, through: ryeLink)
                    let loavesSale = try await sale("A-3", value: 5, through: loavesLink)

                    // validate: each sale names its link, delivery, post, channel and origin.
                    #expect((classSale["libraryItem"] as? [String: Any])?["id"] as? String == item.uppercased() || (classSale["libraryItem"] as? [String: Any])?["id"] as? String == item)
                    #expect((classSale["libraryItem"] as? [String: Any])?["category"] as? String == "Classes")
                    #expect(classSale["feed"] == nil)
                    #expect((ryeSale["feed"] as? [String: Any])?["id"] as? String == feed.uppercased() || (ryeSale["feed"] as? [String: Any])?["id"] as? String == feed)
                    #expect((ryeSale["feed"] as? [String: Any])?["title"] as? String == "Corner Bakery blog")
                    #expect((ryeSale["post"] as? String)?.lowercased() == draft.lowercased())
                    #expect((ryeSale["channel"] as? String)?.lowercased() == channel.lowercased())
                    #expect((ryeSale["link"] as? String)?.lowercased() == ryeLink.id?.uuidString.lowercased())
                    #expect(ryeSale["delivery"] as? String != nil)
                    #expect(loavesSale["feed"] == nil && loavesSale["libraryItem"] == nil)
                    #expect((loavesSale["post"] as? String)?.lowercased() == (written["id"] as? String)?.lowercased())

                    let report = try await app.api(.GET, "\(ws)/reports?from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z", as: ana).json()
                    let sources = try #require(report["sources"] as? [[String: Any]], "\(report)")
                    func sales(_ kind: String) -> Int? {
                        (sources.first { $0["kind"] as? String == kind }?["counts"] as? [String: Any])?["sales"] as? Int
                    }
                    #expect(sources.count == 3)
                    #expect(sales("library") == 1 && sales("feed") == 1 && sales("written") == 1)
                    #expect(sources.first?["kind"] as? String == "library", "the source with the most sales first")
                    #expect(sources.first { $0["kind"] as? String == "feed" }?["name"] as? String == "Corner Bakery blog")
                    #expect(sources.first { $0["kind"] as? String == "library" }?["name"] as? String == "Classes: Sourdough class https://corner-bakery.com/class")
                    let summed = sources.compactMap { ($0["counts"] as? [String: Any])?["clicks"] as? Int }.reduce(0, +)
                    #expect(summed == (report["totals"] as? [String: Any])?["clicks"] as? Int)

                    let browser = Browser(app)
                    try await browser.logIn("ana@example.com", ana.password)
                    let csv = try await browser.get("/workspaces/\(ana.workspaceID)/reports/sources.csv?from=2027-01-01&to=2027-01-31&zone=UTC")
                    #expect(csv.text.contains("Corner Bakery blog,feed,"), "\(csv.text)")
                }
            }
        }
    }
}
