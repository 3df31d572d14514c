@testable import App
import Fluent
import Foundation
import Fuzzing
import SQLKit
import Testing
import Vapor

/// Conversions: a sale reported by the shop's script, its server and a CSV with the same order id
/// counts once and is traced through its click to the link; only within the attribution window;
/// bad reports change nothing.
@Suite struct ConversionTests {
    @Test(arguments: TestDatabase.all)
    func aSaleReportedThreeWaysCountsOnceForTheLinkItsClickCameThrough(_ database: TestDatabase) async throws {
        try await withTrestle(database, publicURL: URL(string: "https://social.bakery.example")) { app in
            let ana = try await app.makeMember("ana@example.com")
            let link = try await app.makeLink(ana, #"{"url": "https://bakery.example/cakes"}"#)
            let clickID = try await app.click(link)
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"

            // The shop's page, through the script's endpoint with the workspace's public key.
            let tracking = try await app.api(.GET, "\(ws)/tracking", as: ana).json()
            let key = try #require(tracking["publicKey"] as? String)
            #expect((tracking["script"] as? String)?.contains(#"src="https://social.bakery.example/t.js""#) == true)
            #expect(tracking["attributionDays"] as? Int == 7)
            let fromPage = try await app.api(.POST, "/t/conversions", json: #"{"key": "\#(key)", "kind": "sale", "orderId": "A-1001", "value": 42.5, "currency": "eur", "clickId": "\#(clickID)"}"#,
                                             contentType: "text/plain")
            #expect(fromPage.status == .accepted, "\(fromPage.text)")
            #expect(fromPage.headers.first(name: .accessControlAllowOrigin) == "*")

            // The shop's server, with an API token: the same order.
            let fromServer = try await app.api(.POST, "\(ws)/conversions", as: ana, json: #"{"kind": "sale", "orderId": "A-1001", "value": 42.5, "currency": "EUR", "clickId": "\#(clickID)"}"#)
            #expect(fromServer.status == .ok, "a repeat answers the stored conversion: \(fromServer.text)")
            #expect(try fromServer.json()["source"] as? String == "script")

            // The month's orders as a CSV: the same order once more, and a lead.
            let csv = "Kind;Order_ID;Value;Currency;Click_ID\r\nsale;A-1001;42.50;EUR;\(clickID)\r\nlead;\"form, 7\";;;\(clickID)\r\n"
            let imported = try await app.api(.POST, "\(ws)/conversions/import", as: ana, json: csv, contentType: "text/csv")
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(try imported.json()["created"] as? Int == 1)
            #expect(try imported.json()["repeated"] as? Int == 1)

            let counted = try await app.api(.GET, "\(ws)/links/\(try #require(link["id"] as? String))", as: ana).json()
            #expect(counted["sales"] as? Int == 1)
            #expect(counted["leads"] as? Int == 1)
            #expect((counted["revenue"] as? [String: Any])?["EUR"] as? Double == 42.5)
            #expect(try await Conversion.query(on: app.db).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyASaleWithinTheWindowAfterTheClickIsTheClicks(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let clock = ManualClock(Date())
            app.wiring.clock = clock
            let ana = try await app.makeMember("ana@example.com")
            let link = try await app.makeLink(ana, #"{"url": "https://bakery.example/cakes"}"#)
            let clickID = try await app.click(link)
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            #expect(try await app.api(.PATCH, "\(ws)/tracking", as: ana, json: #"{"attributionDays": 3}"#).json()["attributionDays"] as? Int == 3)

            func sale(_ order: String, value: Int, at instant: Date?) async throws {
                let at = instant.map { #", "occurredAt": "\#(ISO8601DateFormatter().string(from: $0))""# } ?? ""
                let response = try await app.api(.POST, "\(ws)/conversions", as: ana,
                                                 json: #"{"kind": "sale", "orderId": "\#(order)", "value": \#(value), "currency": "USD", "clickId": "\#(clickID)"\#(at)}"#)
                #expect(response.status == .created, "\(response.text)")
            }
            let clicked = clock.now()
            try await sale("before", value: 1, at: clicked.addingTimeInterval(-86_400))
            clock.advance(by: 4 * 86_400)
            try await sale("too-late", value: 2, at: nil)
            try await sale("in-time", value: 5, at: clicked.addingTimeInterval(2 * 86_400))

            let counted = try await app.api(.GET, "\(ws)/links/\(try #require(link["id"] as? String))", as: ana).json()
            #expect(counted["sales"] as? Int == 1)
            #expect((counted["revenue"] as? [String: Any])?["USD"] as? Double == 5)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBadReportIsRefusedAndAFileWithABadLineImportsNothing(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let bad = try await app.api(.POST, "\(ws)/conversions", as: ana, json: #"{"kind": "refund", "value": 12, "clickId": "short"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(try bad.apiError().fields.keys) == ["kind", "currency", "clickId"])
            let file = "kind,order_id,value,currency\nsale,C-1,12.00,EUR\nsale,C-2,-3,EUR\nsale,C-3,4,EURO\n"
            let imported = try await app.api(.POST, "\(ws)/conversions/import", as: ana, json: file, contentType: "text/csv")
            #expect(imported.status == .unprocessableEntity)
            #expect(Set(try imported.apiError().fields.keys) == ["line 3", "line 4"])
            for broken in ["", "colour,order_id\nred,1\n", "kind,order_id\nsale,\"open\n", "kind\nsale\n"] {
                #expect(try await app.api(.POST, "\(ws)/conversions/import", as: ana, json: broken, contentType: "text/csv").status == .unprocessableEntity, "\(broken)")
            }
            #expect(try await app.api(.POST, "/t/conversions", json: #"{"key": "pk_nothing", "kind": "sale"}"#).status == .notFound)
            #expect(try await Conversion.query(on: app.db).count() == 0)
        }
    }

    @Test func theCSVReaderTakesWhatShopSystemsWrite() throws {
        let rows = try ConversionCSV.rows("a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,2,3")
        #expect(rows == [["a", "b, c", "say \"hi\""], ["1", "2", "3"]])
        let reports = try ConversionCSV.reports(from: "Kind;Order-ID;Value\nsale;\"A;1\";12,5\nlead;B-2;\n")
        #expect(reports.map(\.line) == [2, 3])
        #expect(reports[0].report.orderID == "A;1")
        #expect(reports[0].report.value?.isNaN == true, "a decimal comma is no number: the line is refused, not misread")
    }

    /// Orders from anyone's shop system: the reader and the checks never crash or hang, and what
    /// they accept is within bounds.
    @Test func theCSVReaderSurvivesMutatedFiles() async throws {
        let seeds = [
            "kind,order_id,value,currency,click_id,occurred_at\nsale,A-1,12.50,EUR,abcdefgh12345678,2026-11-30T10:00:00Z\nlead,B-2,,,,\n",
            "kind;order_id\r\n\"lead\";\"x;y \"\"quoted\"\"\"\r\n",
        ].map { Array($0.utf8) }
        let now = Date()
        let report = await FuzzLoop.run(seeds: seeds, iterations: FuzzLoop.iterations(default: 5_000), tokens: ["\"", ",", ";", "\r\n", "\n", "sale", "lead", "1e308", "-0", "🥖"], longest: 1 << 12) { input in
            guard let reports = try? ConversionCSV.reports(from: String(decoding: input, as: UTF8.self)) else { return }
            for (_, report) in reports {
                guard let conversion = try? ConversionService.conversion(from: report, source: .csv, workspaceID: UUID(), now: now) else { continue }
                #expect((0...1_000_000_000_000).contains(conversion.valueMilli ?? 0))
                #expect((conversion.orderID?.unicodeScalars.count ?? 0) <= ConversionService.longestOrderID)
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}

extension Application {
    /// A person's click through the short link; returns its click id, written to the database.
    func click(_ link: [String: Any]) async throws -> String {
        let response = try await api(.GET, try LinkTests.path(of: link), headers: LinkTests.browser)
        let location = try #require(response.headers.first(name: .location))
        let clickID = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "tc" }?.value)
        try await flushClicks()
        return clickID
    }
}
