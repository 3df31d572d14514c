@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Short links: a click lands on the destination with the workspace's UTM tags and a click id
/// and counts once; link previews and crawlers are counted apart; only http(s) destinations,
/// only the stored one, only the workspace's own links.
@Suite struct LinkTests {
    static let browser: HTTPHeaders = ["User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"]

    /// The short link's path, to request it from the test server.
    static func path(of link: [String: Any]) throws -> String {
        let shortURL = try #require(link["shortURL"] as? String)
        return try #require(URL(string: shortURL)?.path)
    }

    @Test(arguments: TestDatabase.all)
    func aClickLandsWithTheUTMTagsAndAClickIDAndCountsOnce(_ database: TestDatabase) async throws {
        try await withTrestle(database, publicURL: URL(string: "https://social.bakery.example")) { app in
            let ana = try await app.makeMember("ana@example.com")
            let link = try await app.makeLink(ana, #"{"url": "https://bakery.example/bread?size=large#order", "campaign": "Spring rye"}"#)
            let shortURL = try #require(link["shortURL"] as? String)
            #expect(shortURL.hasPrefix("https://social.bakery.example/l/"))
            let path = try Self.path(of: link)

            let response = try await app.api(.GET, path, headers: Self.browser)
            #expect(response.status == .found)
            #expect(response.headers.first(name: .cacheControl) == "no-store", "every visit must reach Trestle to be counted")
            let location = try #require(response.headers.first(name: .location))
            let target = try #require(URLComponents(string: location))
            #expect(target.host == "bakery.example" && target.path == "/bread" && target.fragment == "order")
            let query = Dictionary(uniqueKeysWithValues: (target.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(query["size"] == "large")
            #expect(query["utm_source"] == "trestle")
            #expect(query["utm_medium"] == "social")
            #expect(query["utm_campaign"] == "Spring rye")
            let clickID = try #require(query["tc"])
            #expect(clickID.count == 16)

            #expect(app.wiring.clicks.pending == 1, "the redirect does not wait for the database")
            #expect(try await app.flushClicks() == 1)
            let id = try #require(link["id"] as? String)
            let counted = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/links/\(id)", as: ana).json()
            #expect(counted["clicks"] as? Int == 1)
            #expect(counted["visitors"] as? Int == 1)
            #expect(counted["fetches"] as? Int == 0)

            // The same person again: a second click, still one visitor.
            let again = try await app.api(.GET, path, headers: Self.browser)
            #expect(again.headers.first(name: .location)?.contains(clickID) == false, "each click has its own id")
            try await app.flushClicks()
            let twice = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/links/\(id)", as: ana).json()
            #expect(twice["clicks"] as? Int == 2)
            #expect(twice["visitors"] as? Int == 1)
            // No address and, unless the operator turns it on, no referrer is kept.
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT visitor, referrer, country FROM link_clicks").all()
            #expect(try stored.allSatisfy { try $0.decode(column: "referrer", as: String?.self) == nil && $0.decode(column: "country", as: String?.self) == nil })
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLinkPreviewOrACrawlerIsNotAClick(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let link = try await app.makeLink(ana, #"{"url": "https://bakery.example/?utm_source=newsletter"}"#)
            let path = try Self.path(of: link)
            for agent in ["facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "http.rb/5.2.0 (Mastodon/4.3.2; +https://mastodon.social/)",
                          "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)", "Twitterbot/1.0", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ""] {
                let response = try await app.api(.GET, path, headers: ["User-Agent": agent])
                #expect(response.status == .found)
                let location = try #require(response.headers.first(name: .location))
                #expect(!location.contains("tc="), "a fetcher gets no click id: \(agent)")
                #expect(location.hasPrefix("https://bakery.example/?utm_source=newsletter&utm_medium=social"), "the destination's own utm_source is kept: \(location)")
            }
            #expect(try await app.api(.HEAD, path, headers: Self.browser).status == .found)
            try await app.flushClicks()
            let id = try #require(link["id"] as? String)
            let counted = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/links/\(id)", as: ana).json()
            #expect(counted["clicks"] as? Int == 0)
            #expect(counted["fetches"] as? Int == 8)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyAnHTTPAddressIsADestinationAndNothingElseIsMade(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            for url in ["javascript:alert(1)", "ftp://bakery.example/menu", "https://owner:secret@bakery.example/", "//evil.example/", "/l/abc",
                        "data:text/html,hi", "https://bakery.example/a b", " https://bakery.example/", "https:///nohost"] {
                let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/links", as: ana, json: #"{"url": "\#(url)"}"#)
                #expect(response.status == .unprocessableEntity, "\(url): \(response.text)")
                #expect(try response.apiError().fields["url"] != nil)
            }
            #expect(try await ShortLink.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLinkIsItsWorkspacesAndADeletedOneStopsAtOnce(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let eve = try await app.makeMember("eve@example.com")
            let link = try await app.makeLink(ana, #"{"url": "https://bakery.example/"}"#)
            let id = try #require(link["id"] as? String)
            let path = try Self.path(of: link)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(eve.workspaceID)/links/\(id)", as: eve).status == .notFound)
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(eve.workspaceID)/links/\(id)", as: eve).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(eve.workspaceID)/links", as: eve).jsonArray().isEmpty)
            #expect(try await app.api(.GET, path, headers: Self.browser).status == .found)
            for unknown in ["/l/AAAAAAAA", "/l/%3Cscript%3E", "/l/" + String(repeating: "a", count: 40)] {
                #expect(try await app.api(.GET, unknown, headers: Self.browser).status == .notFound, "\(unknown)")
            }

            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/links/\(id)", as: ana).status == .noContent)
            #expect(try await app.api(.GET, path, headers: Self.browser).status == .notFound, "read from the cache no more")
            try await app.flushClicks()
            #expect(try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM link_clicks").first()?.decode(column: "n", as: Int.self) == 0)
        }
    }
}

extension Application {
    func makeLink(_ member: Member, _ json: String) async throws -> [String: Any] {
        let response = try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/links", as: member, json: json)
        #expect(response.status == .created, "\(response.text)")
        return try response.json()
    }

    /// Writes the clicks the redirect kept in memory, as the server does every quarter second.
    @discardableResult
    func flushClicks() async throws -> Int {
        try await wiring.clicks.flush(to: db as! any SQLDatabase)
    }
}
