@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The Links page: a short link made by hand shows with what it brought; a bad address is an
/// inline error; a CSV of orders imports all or nothing; the counting settings save.
@Suite struct LinkPagesTests {
    @Test(arguments: TestDatabase.all)
    func aLinkMadeOnThePageCountsItsClicksAndSales(_ database: TestDatabase) async throws {
        try await withTrestle(database, publicURL: URL(string: "https://social.bakery.example")) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let page = "/workspaces/\(ana.workspaceID)/links"
            #expect(try await browser.get(page).body.string.contains("No links yet."))

            let bad = try await browser.post(page, ["url": "javascript:alert(1)", "campaign": "<b>x</b>"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#"id="url-error""#))
            #expect(bad.body.string.contains("&lt;b&gt;x&lt;/b&gt;"), "what was typed comes back escaped")
            #expect(try await ShortLink.query(on: app.db).count() == 0)

            let made = try await browser.post(page, ["url": "https://bakery.example/cakes", "campaign": "Cakes"])
            #expect(made.status == .created)
            let link = try #require(try await ShortLink.query(on: app.db).first())
            #expect(made.body.string.contains("https://social.bakery.example/l/\(link.code)"))
            let clickID = try await app.click(["shortURL": "https://social.bakery.example/l/\(link.code)"])

            let csv = "kind,order_id,value,currency,click_id\nsale,O-1,19.90,EUR,\(clickID)\n"
            let imported = try await browser.postFile(page + "/orders", field: "orders", filename: "orders.csv", contents: csv)
            #expect(imported.status == .ok, "\(imported.body.string.prefix(500))")
            #expect(imported.body.string.contains("Imported 1 new order."))
            let row = try #require(imported.body.string.components(separatedBy: "https://social.bakery.example/l/\(link.code)</a>").last)
            #expect(row.contains("<td>1</td><td>1</td><td>0</td><td>0</td><td>1</td><td>EUR 19.90</td>"), "clicks, people, previews, leads, sales, revenue")

            let broken = try await browser.postFile(page + "/orders", field: "orders", filename: "orders.csv", contents: "kind,order_id\nrefund,O-2\n")
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.body.string.contains(#"id="orders-error""#))
            #expect(try await Conversion.query(on: app.db).count() == 1)

            let saved = try await browser.post(page + "/tracking", ["attributionDays": "14"])
            #expect(saved.status == .ok)
            let tracking = try #require(try await WorkspaceTracking.query(on: app.db).first())
            #expect(tracking.attributionDays == 14)
            #expect(tracking.shortensLinks == false, "an unticked box turns short links off")
        }
    }
}

extension Browser {
    /// Posts a form with one file (multipart/form-data), the page's CSRF token and `fields`.
    func postFile(_ path: String, field: String, filename: String, contents: String, fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        let boundary = "trestle-\(UUID().uuidString)"
        let values = fields.merging(["_csrf": csrf ?? ""]) { first, _ in first }.sorted { $0.key < $1.key }
        let body = values.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.key)\"\r\n\r\n\($0.value)\r\n" }.joined()
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n\(contents)\r\n--\(boundary)--\r\n"
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)"]
        headers.add(name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }
}
