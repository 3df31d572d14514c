@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct ComposeCheckTests {
    @Test(arguments: TestDatabase.all)
    func theAPICountsEachNetworkInItsOwnUnitAndMarksEntities(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let text = "Fresh bread 🥖 at https://bakery.com/today with @ana@mastodon.social #sourdough"
            let body = try String(data: JSONSerialization.data(withJSONObject: ["text": text, "networks": ["x", "mastodon", "bluesky", "instagram"]]), encoding: .utf8)
            let response = try await app.api(.POST, "/api/v1/compose/check", as: ana, json: body)
            #expect(response.status == .ok)
            let results = try #require(try response.json()["results"] as? [String: [String: Any]])
            #expect(Set(results.keys) == ["x", "mastodon", "bluesky", "instagram"])

            // X: 12 + emoji 2 + " at " 4 + URL 23 + rest counted per character.
            let x = try #require(results["x"])
            #expect(x["limit"] as? Int == 280)
            #expect(x["valid"] as? Bool == true)
            let xEntities = try #require(x["facets"] as? [[String: Any]])
            #expect(xEntities.contains { $0["type"] as? String == "url" && $0["text"] as? String == "https://bakery.com/today" })
            #expect(xEntities.contains { $0["type"] as? String == "hashtag" && $0["text"] as? String == "#sourdough" })

            // Mastodon: the URL counts 23 and the remote mention as @ana.
            let mastodon = try #require(results["mastodon"])
            let graphemes = text.count
            let expected = graphemes - "https://bakery.com/today".count + 23 - "@mastodon.social".count
            #expect(mastodon["length"] as? Int == expected)

            // Bluesky: facets in the AT Protocol's own shape, with UTF-8 byte offsets.
            let bluesky = try #require(results["bluesky"])
            let facets = try #require(bluesky["facets"] as? [[String: Any]])
            let link = try #require(facets.first { (($0["features"] as? [[String: Any]])?.first?["$type"] as? String) == "app.bsky.richtext.facet#link" })
            let index = try #require(link["index"] as? [String: Int])
            let start = try #require(text.utf8.count - text[text.range(of: "https://")!.lowerBound...].utf8.count as Int?)
            #expect(index["byteStart"] == start)
            #expect(index["byteEnd"] == start + "https://bakery.com/today".utf8.count)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTextPastTheLimitIsInvalidWithAMessageThatSaysByHowMuch(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let text = String(repeating: "a", count: 290)
            let response = try await app.api(.POST, "/api/v1/compose/check", as: ana, json: #"{"text": "\#(text)", "networks": ["x", "linkedin"]}"#)
            let results = try #require(try response.json()["results"] as? [String: [String: Any]])
            #expect(results["x"]?["valid"] as? Bool == false)
            #expect(results["x"]?["length"] as? Int == 290)
            let problems = try #require(results["x"]?["problems"] as? [[String: String]])
            #expect(problems.first?["message"]?.contains("Shorten it by 10") == true)
            #expect(results["linkedin"]?["valid"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badInputGetsAClearError(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let cases: [(String, HTTPStatus, String)] = [
                (#"{"text": "hi", "networks": ["myspace"]}"#, .unprocessableEntity, "networks"),
                (#"{"text": "hi", "networks": []}"#, .unprocessableEntity, "networks"),
                (#"{"text": "hi"}"#, .unprocessableEntity, "networks"),
                (#"{"networks": ["x"]}"#, .unprocessableEntity, "text"),
                (#"{"text": "\ud800 lone", "networks": ["x"]}"#, .badRequest, ""),
                (#"{"text": "\#(String(repeating: "b", count: 100_001))", "networks": ["facebook"]}"#, .unprocessableEntity, "text"),
            ]
            for (body, status, field) in cases {
                let response = try await app.api(.POST, "/api/v1/compose/check", as: ana, json: body)
                #expect(response.status == status, "\(body.prefix(60)) answered \(response.status): \(response.text.prefix(200))")
                let error = try response.apiError()
                if !field.isEmpty { #expect(error.fields[field] != nil, "\(body.prefix(60)): \(error)") }
            }
            #expect(try await app.api(.POST, "/api/v1/compose/check", json: #"{"text": "hi", "networks": ["x"]}"#).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theComposersCounterUsesTheSameCheckWithTheSessionAndCSRFHeader(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let page = try await browser.get("/workspaces/\(ana.workspaceID)/compose")
            #expect(page.status == .ok)
            #expect(page.text.contains("/composer.js"))
            let csrf = try #require(Browser.csrfToken(in: page.text))
            let cookie = try #require(browser.cookie)
            let path = "/workspaces/\(ana.workspaceID)/compose/check"
            let body = ByteBuffer(string: #"{"text": "hello 👋🏽", "networks": ["x"]}"#)
            let ok = try await app.testing().sendRequest(.POST, path, headers: [
                "Cookie": "trestle_session=\(cookie)", "Content-Type": "application/json", "X-CSRF-Token": csrf,
            ], body: body)
            #expect(ok.status == .ok)
            #expect(((try ok.json()["results"] as? [String: [String: Any]])?["x"]?["length"] as? Int) == 8)
            let forged = try await app.testing().sendRequest(.POST, path, headers: [
                "Cookie": "trestle_session=\(cookie)", "Content-Type": "application/json",
            ], body: body)
            #expect(forged.status == .forbidden)
        }
    }
}
