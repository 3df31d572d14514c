@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The evergreen library over months of simulated time: the injected clock moves a day at a
/// time, the worker's fill step and publisher run after each move, and what went out is read
/// back from the library's fills and the posts they made.
@Suite struct LibraryTests {
    private static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    // MARK: Helpers

    /// A Site channel (nothing outside to call) in `zone`; returns its id.
    private static func addChannel(_ app: Application, _ member: Member, _ name: String, zone: String = "UTC") async throws -> String {
        let response = try await app.api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member,
                                         json: #"{"network": "site", "name": "\#(name)", "timezone": "\#(zone)"}"#)
        return try #require(try response.json()["id"] as? String, "\(response.text)")
    }

    /// Ana, with a Site channel "Shop" in `zone`, and the clock standing at `start`.
    private static func shop(_ app: Application, at start: String = "2027-01-04T00:00:00Z", zone: String = "UTC") async throws -> (ManualClock, Member, String) {
        let clock = ManualClock(utc(start))
        app.wiring.clock = clock
        let ana = try await app.makeMember("ana@example.com")
        return (clock, ana, try await addChannel(app, ana, "Shop", zone: zone))
    }

    private static func addCategory(_ app: Application, _ member: Member, _ json: String) async throws -> String {
        let response = try await app.api(.POST, "/api/v1/workspaces/\(member.workspaceID)/library/categories", as: member, json: json)
        #expect(response.status == .created, "\(response.text)")
        return try #require(try response.json()["id"] as? String)
    }

    private static func addItem(_ app: Application, _ member: Member, _ category: String, _ text: String, _ extra: String = "") async throws -> String {
        let response = try await app.api(.POST, "/api/v1/workspaces/\(member.workspaceID)/library/items", as: member,
                                         json: #"{"category": "\#(category)", "text": "\#(text)"\#(extra)}"#)
        #expect(response.status == .created, "\(response.text)")
        return try #require(try response.json()["id"] as? String)
    }

    /// Binds a slot at `time` on each of `weekdays` to `category`.
    @discardableResult
    private static func bind(_ app: Application, _ member: Member, _ channel: String, _ category: String?, time: String = "09:00",
                             weekdays: ClosedRange<Int> = 1...7, extra: String = "") async throws -> TestingHTTPResponse {
        let slots = weekdays.map { day in
            #"{"weekday": \#(day), "time": "\#(time)""# + (category.map { #", "category": "\#($0)""# } ?? "") + "}"
        }.joined(separator: ", ")
        let separator = extra.isEmpty ? "" : ", "
        return try await app.api(.PUT, "/api/v1/workspaces/\(member.workspaceID)/channels/\(channel)/slots", as: member,
                                 json: #"{"slots": [\#(slots)\#(separator)\#(extra)]}"#)
    }

    /// What the worker does, day after day: publish what is due, fill the coming week.
    private static func simulate(_ app: Application, _ clock: ManualClock, days: Int) async throws {
        for _ in 0..<days {
            clock.advance(by: 86_400)
            try await app.publishDueDeliveries()
            try await fill(app)
        }
    }

    @discardableResult
    private static func fill(_ app: Application) async throws -> Int {
        try await app.wiring.libraryFiller(on: app.db).fillSlots()
    }

    struct Send {
        var item: String
        var channel: String
        var at: Date
        var text: String
        var state: Delivery.State
    }

    /// Every fill, soonest slot first, with its post's text and its delivery's state.
    private static func sends(_ app: Application) async throws -> [Send] {
        try await LibraryFill.query(on: app.db).filter(\.$post.$id != nil).with(\.$post) { $0.with(\.$deliveries) }.sort(\.$slotAt).all().map { fill in
            let post = try #require(fill.post)
            let delivery = try #require(post.deliveries.first)
            return Send(item: fill.$item.id.uuidString, channel: fill.$channel.id.uuidString, at: delivery.scheduledAt, text: post.text, state: delivery.state)
        }
    }

    private static func item(_ app: Application, _ member: Member, _ id: String) async throws -> [String: Any] {
        try await app.api(.GET, "/api/v1/workspaces/\(member.workspaceID)/library/items/\(id)", as: member).json()
    }

    // MARK: Rules over months

    @Test(arguments: TestDatabase.all)
    func overThreeMonthsAnItemWaitsItsDaysOnEachChannelAndTheLeastRecentlySentGoesNext(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            // setup
            let (clock, ana, shop) = try await Self.shop(app)
            let blog = try await Self.addChannel(app, ana, "Blog", zone: "America/New_York")
            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "minDaysBetween": 5}"#)
            let items = [
                try await Self.addItem(app, ana, tips, "Keep bread in linen"),
                try await Self.addItem(app, ana, tips, "Freeze it sliced"),
                try await Self.addItem(app, ana, tips, "Toast revives it"),
            ]
            #expect(try await Self.bind(app, ana, shop, tips).status == .ok)
            #expect(try await Self.bind(app, ana, blog, tips, time: "18:30").status == .ok)

            // MUT
            try await Self.simulate(app, clock, days: 91)

            // validate
            let sends = try await Self.sends(app)
            let published = sends.filter { $0.state == .published }
            #expect(published.count > 90)
            for channel in [shop, blog] {
                let here = published.filter { $0.channel == channel }
                for id in items {
                    let times = here.filter { $0.item == id }.map(\.at)
                    #expect(times.count >= 15, "\(id) went out \(times.count) times on \(channel)")
                    for (earlier, later) in zip(times, times.dropFirst()) {
                        #expect(later.timeIntervalSince(earlier) >= 5 * 86_400, "\(id) again after \(later.timeIntervalSince(earlier) / 86_400) days")
                    }
                }
                // Three items, five days apart: three days filled, then two left empty, in turn.
                let order = here.prefix(6).map { send in items.firstIndex(of: send.item) ?? -1 }
                #expect(order == [0, 1, 2, 0, 1, 2], "the least recently sent goes next")
                let days = here.prefix(4).map { $0.at.timeIntervalSince(here[0].at) / 86_400 }
                #expect(days == [0, 1, 2, 5])
            }
            // The minimum is per channel: the same item goes to both channels on one day.
            #expect(published.contains { a in published.contains { b in a.item == b.item && a.channel != b.channel && abs(a.at.timeIntervalSince(b.at)) < 86_400 } })
            let shown = try await Self.item(app, ana, items[0])
            #expect(shown["timesSent"] as? Int == published.filter { $0.item == items[0] }.count)
            #expect(shown["nextDueAt"] is String, "an item with a slot in the coming week says when")
            #expect(shown["engagement"] is NSNull, "no metrics yet: null, not a made-up number")
            #expect(shown["lastSentAt"] is String)
        }
    }

    @Test(arguments: TestDatabase.all)
    func maximumRepeatsStopAnItemAndAnExpiryStopsAnother(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let start = Self.utc("2027-01-04T00:00:00Z")
            let clock = ManualClock(start)
            app.wiring.clock = clock
            let ana = try await app.makeMember("ana@example.com")
            let shop = try await Self.addChannel(app, ana, "Shop")
            let news = try await Self.addCategory(app, ana, #"{"name": "News", "minDaysBetween": 1, "maxRepeats": 10}"#)
            let twice = try await Self.addItem(app, ana, news, "Twice only", #", "maxRepeats": 2"#)
            let expiring = try await Self.addItem(app, ana, news, "Winter offer", #", "expiresAt": "2027-01-20T00:00:00Z""#)
            let lasting = try await Self.addItem(app, ana, news, "Open every day")
            try await Self.bind(app, ana, shop, news)

            try await Self.simulate(app, clock, days: 60)

            let published = try await Self.sends(app).filter { $0.state == .published }
            #expect(published.filter { $0.item == twice }.count == 2, "its own limit")
            #expect(published.filter { $0.item == lasting }.count == 10, "the category's limit")
            let winter = published.filter { $0.item == expiring }
            #expect(!winter.isEmpty)
            #expect(winter.allSatisfy { $0.at < Self.utc("2027-01-20T00:00:00Z") }, "nothing at or after its expiry")
            #expect(try await Self.item(app, ana, twice)["timesSent"] as? Int == 2)
            #expect(try await Self.item(app, ana, twice)["nextDueAt"] is NSNull)
            // Every item is spent: the slots stay empty.
            #expect(try await Self.fill(app) == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func eachSendTakesTheNextWordingInTurn(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let (clock, ana, shop) = try await Self.shop(app)
            let bread = try await Self.addCategory(app, ana, #"{"name": "Bread", "minDaysBetween": 1}"#)
            try await Self.addItem(app, ana, bread, "Rye", #", "variants": ["Rye, again", "  ", "Still rye"]"#)
            try await Self.bind(app, ana, shop, bread)
            try await Self.simulate(app, clock, days: 8)
            let texts = try await Self.sends(app).map(\.text)
            #expect(Array(texts.prefix(7)) == ["Rye", "Rye, again", "Still rye", "Rye", "Rye, again", "Still rye", "Rye"], "a blank wording is dropped")
        }
    }

    // MARK: Pause, empty, twice, delete

    @Test(arguments: TestDatabase.all)
    func pausingCancelsWaitingFillsAndStopsNewOnesAndResumingFillsAgain(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let (clock, ana, shop) = try await Self.shop(app)
            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "minDaysBetween": 0}"#)
            let item = try await Self.addItem(app, ana, tips, "Keep bread in linen")
            try await Self.bind(app, ana, shop, tips)
            #expect(try await Self.sends(app).count == 7, "a week of slots filled")
            try await Self.simulate(app, clock, days: 2)
            #expect(try await Self.sends(app).filter { $0.state == .published }.count == 2)

            let library = "/api/v1/workspaces/\(ana.workspaceID)/library"
            let paused = try await app.api(.PATCH, library, as: ana, json: #"{"paused": true}"#)
            #expect(try paused.json()["paused"] as? Bool == true)
            #expect(try await app.api(.GET, library, as: ana).json()["paused"] as? Bool == true)
            #expect(try await Self.sends(app).allSatisfy { $0.state == .published }, "what waited is canceled; what went out stays")
            let posts = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana).jsonArray()
            #expect(posts.count == 2, "the canceled fills leave no empty posts behind")
            #expect(try await Self.item(app, ana, item)["nextDueAt"] is NSNull)

            try await Self.simulate(app, clock, days: 10)
            #expect(try await Self.sends(app).count == 2, "nothing filled while paused")

            #expect(try await app.api(.PATCH, library, as: ana, json: #"{"paused": false}"#).status == .ok)
            #expect(try await Self.sends(app).count == 9, "resuming fills the coming week at once")
            #expect(try await Self.item(app, ana, item)["nextDueAt"] is String)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEmptyCategoryLeavesItsSlotEmptyFillingTwiceFillsOnceAndTheQueueLeavesLibrarySlotsAlone(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let (_, ana, shop) = try await Self.shop(app)
            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "minDaysBetween": 0}"#)
            #expect(try await Self.bind(app, ana, shop, tips).status == .ok)
            let slots = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(shop)/slots", as: ana).json()["slots"] as? [[String: Any]]
            #expect(slots?.first?["category"] as? String == tips)
            #expect(try await Self.fill(app) == 0, "nothing to fill with")
            let queued = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana,
                                           json: #"{"text": "Hello", "channels": ["\#(shop)"], "schedule": {"queue": true}}"#)
            #expect(queued.status == .unprocessableEntity, "every slot is the library's")
            #expect(try queued.apiError().fields["schedule"]?.contains("belong to the library") == true)

            try await Self.addItem(app, ana, tips, "Keep bread in linen")
            #expect(try await Self.fill(app) == 0, "adding the item filled the week already")
            #expect(try await Self.fill(app) == 0)
            #expect(try await LibraryFill.query(on: app.db).count() == 7)
            #expect(try await Delivery.query(on: app.db).count() == 7)

            // An ordinary slot beside the library's: the queue takes it, the library never does.
            try await Self.bind(app, ana, shop, tips, extra: #"{"weekday": 1, "time": "12:00"}"#)
            let post = try await app.createPost(ana, #"{"text": "Hello", "channels": ["\#(shop)"], "schedule": {"queue": true}}"#)
            #expect(try await app.deliveries(of: try #require(post["id"] as? String), ana).first?["scheduledAt"] as? String == "2027-01-04T12:00:00Z")
            #expect(try await Self.fill(app) == 0)
        }
    }

    /// Two workers filling at the same moment: each slot is filled once, by one of them. On
    /// PostgreSQL, where several workers run (SQLite has one writer at a time).
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func twoWorkersFillingAtOnceFillEachSlotOnce(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let (_, ana, shop) = try await Self.shop(app)
            let other = try await Self.addChannel(app, ana, "Blog")
            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "minDaysBetween": 0}"#)
            try await Self.bind(app, ana, shop, tips)
            try await Self.bind(app, ana, other, tips, time: "15:00")
            try await Self.addItem(app, ana, tips, "Keep bread in linen")
            // Emptied again, as a pause would, so both workers find the slots empty.
            for fill in try await LibraryFill.query(on: app.db).with(\.$post).all() {
                try await fill.delete(on: app.db)
                try await fill.post?.delete(on: app.db)
            }
            #expect(try await LibraryFill.query(on: app.db).count() == 0)

            async let first = Self.fill(app)
            async let second = Self.fill(app)
            let total = try await first + second
            #expect(total == 14)
            #expect(try await LibraryFill.query(on: app.db).count() == 14)
            #expect(try await Delivery.query(on: app.db).count() == 14)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCategorySlotKeepsItsLocalTimeWhenTheClocksChange(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let (clock, ana, shop) = try await Self.shop(app, at: "2027-03-15T00:00:00Z", zone: "Europe/Berlin")
            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "minDaysBetween": 0}"#)
            try await Self.addItem(app, ana, tips, "Keep bread in linen")
            try await Self.bind(app, ana, shop, tips, weekdays: 7...7)
            try await Self.simulate(app, clock, days: 21)
            let times = try await Self.sends(app).filter { $0.state == .published }.map(\.at)
            // Sundays at 09:00 in Berlin: CET (UTC+1) before 28 March, CEST (UTC+2) from it.
            #expect(times == [Self.utc("2027-03-21T08:00:00Z"), Self.utc("2027-03-28T07:00:00Z"), Self.utc("2027-04-04T07:00:00Z")])
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingAnItemCancelsItsWaitingFillsAndKeepsWhatWentOut(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let (clock, ana, shop) = try await Self.shop(app)
            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "minDaysBetween": 0}"#)
            let item = try await Self.addItem(app, ana, tips, "Keep bread in linen")
            try await Self.bind(app, ana, shop, tips)
            try await Self.simulate(app, clock, days: 3)
            #expect(try await Self.sends(app).filter { $0.state == .published }.count == 3)

            let deleted = try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/library/items/\(item)", as: ana)
            #expect(deleted.status == .noContent)
            #expect(try await Self.sends(app).isEmpty, "its fills go with it")
            let posts = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana).jsonArray()
            #expect(posts.count == 3)
            #expect(posts.allSatisfy { $0["status"] as? String == "published" }, "what went out stays")
            #expect(try await Delivery.query(on: app.db).filter(\.$state == .scheduled).count() == 0)
            clock.advance(by: 7 * 86_400)
            try await app.publishDueDeliveries()
            #expect(try await Delivery.query(on: app.db).count() == 3, "nothing canceled goes out later")
            #expect(try await Self.fill(app) == 0, "the category has no item left")
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingALibraryPostSkipsItsSlotRatherThanSendingTheSameItemAgain(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let (clock, ana, shop) = try await Self.shop(app)
            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "minDaysBetween": 0}"#)
            let linen = try await Self.addItem(app, ana, tips, "Keep bread in linen")
            try await Self.addItem(app, ana, tips, "Freeze it sliced")
            try await Self.bind(app, ana, shop, tips)
            let first = try #require(try await LibraryFill.query(on: app.db).sort(\.$slotAt).first())
            #expect(first.$item.id.uuidString == linen)

            let deleted = try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(try #require(first.$post.id))", as: ana)
            #expect(deleted.status == .noContent)
            #expect(try await Self.fill(app) == 0, "the slot stays skipped")
            try await Self.simulate(app, clock, days: 2)
            let published = try await Self.sends(app).filter { $0.state == .published }
            #expect(published.map(\.at) == [Self.utc("2027-01-05T09:00:00Z")], "nothing on the skipped Monday")
            #expect(try await Self.item(app, ana, linen)["timesSent"] as? Int == 0)
        }
    }

    // MARK: Tenancy and bad input

    @Test(arguments: TestDatabase.all)
    func anotherWorkspacesCategoryCannotBeBoundNorUsedAndBadRulesChangeNothing(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.makeMember("ben@example.com")
            let shop = try await Self.addChannel(app, ana, "Shop")
            let bens = try await Self.addCategory(app, ben, #"{"name": "Ben's"}"#)

            let bound = try await Self.bind(app, ana, shop, bens)
            #expect(bound.status == .unprocessableEntity)
            #expect(try bound.apiError().fields["slots"]?.contains("not one of the library's categories") == true)
            let slots = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(shop)/slots", as: ana).json()["slots"] as? [Any]
            #expect(slots?.isEmpty == true, "nothing was bound")
            let item = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/library/items", as: ana, json: #"{"category": "\#(bens)", "text": "Mine"}"#)
            #expect(item.status == .unprocessableEntity)
            #expect(try item.apiError().fields["category"] != nil)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/library/categories/\(bens)", as: ana).status == .notFound)
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/library/categories/\(bens)", as: ana).status == .notFound)

            let categories = "/api/v1/workspaces/\(ana.workspaceID)/library/categories"
            let bad = try await app.api(.POST, categories, as: ana, json: #"{"name": " ", "minDaysBetween": -1, "maxRepeats": 0}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(try bad.apiError().fields.keys) == ["name", "minDaysBetween", "maxRepeats"])
            #expect(try await app.api(.GET, categories, as: ana).jsonArray().isEmpty, "nothing was added")

            let tips = try await Self.addCategory(app, ana, #"{"name": "Tips", "maxRepeats": 3, "expiresAt": "2030-01-01T00:00:00Z"}"#)
            let cleared = try await app.api(.PATCH, "\(categories)/\(tips)", as: ana, json: #"{"maxRepeats": null}"#)
            #expect(try cleared.json()["maxRepeats"] is NSNull, "null clears the limit")
            #expect(try cleared.json()["expiresAt"] as? String == "2030-01-01T00:00:00Z", "a field left out stays")
            let unknown = try await app.api(.PATCH, "\(categories)/\(tips)", as: ana, json: #"{"minDays": 3}"#)
            #expect(unknown.status == .badRequest)
        }
    }

    // MARK: Web

    @Test func theLibraryPageAddsACategoryAndAnItemAndPauses() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let page = "/workspaces/\(ana.workspaceID)/library"
            #expect(try await browser.get(page).status == .ok)
            let refused = try await browser.post("\(page)/categories", ["name": "Tips", "minDaysBetween": "-3"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Give a number of days"))
            #expect(try await browser.post("\(page)/categories", ["name": "Tips", "minDaysBetween": "14"]).status == .seeOther)
            let category = try #require(try await LibraryCategory.query(on: app.db).first())
            #expect(category.minDaysBetween == 14)
            #expect(try await browser.post("\(page)/items", ["category": category.id!.uuidString, "text": "Keep bread in linen"]).status == .seeOther)
            let shown = try await browser.get(page).body.string
            #expect(shown.contains("Keep bread in linen"))
            #expect(shown.contains("not due"))
            #expect(try await browser.post("\(page)/pause", ["paused": "true"]).status == .seeOther)
            #expect(try await browser.get(page).body.string.contains("The library is paused"))
            #expect(try await browser.post("\(page)/pause", ["paused": "true"], csrf: false).status == .forbidden)
        }
    }
}
