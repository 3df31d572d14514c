@testable import App
import Foundation
import Testing
import Vapor

/// Every record Trestle writes to a Bluesky repository validates against the official
/// `app.bsky.*` lexicons: a thread with a link, a mention and a tag, images, and a video.
@Suite struct BlueskyLexiconTests {
    /// A shop's page with its Open Graph card, and the card's image.
    private static func shopPage() async throws -> FakeNetworkServer {
        try await FakeNetworkServer { routes in
            routes.get("rye") { _ in
                Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: """
                    <!doctype html><html><head><title>Ignored when og:title is there</title>
                    <meta property="og:title" content="Rye &amp; spelt, baked at 5">
                    <meta name="description" content="Plain description">
                    <meta property="og:description" content='Our &quot;rye of the week&quot; — 800 g.'>
                    <meta property="og:image" content="/rye.png"></head><body>Rye</body></html>
                    """))
            }
            routes.get("rye.png") { _ in
                Response(status: .ok, headers: ["Content-Type": "image/png"], body: .init(data: TestMedia.png(width: 600, height: 315, size: 1_000)))
            }
        }
    }

    @Test func theRecordsTrestleWritesAreValidPosts() async throws {
        let lexicon = try Lexicon()
        let shop = try await Self.shopPage()
        defer { Task { try? await shop.stop() } }
        try await FakeBluesky.with { bluesky in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let skeets = try await app.connectBluesky(ana, bluesky)
                let image = try #require(try await app.upload(TestMedia.png(width: 1200, height: 800, size: 3_000), named: "loaf.png", alt: "A loaf", as: ana).json()["id"] as? String)
                let jpeg = try #require(try await app.upload(TestMedia.jpeg(width: 900, height: 1200, size: 3_000), named: "crumb.jpg", alt: "", as: ana).json()["id"] as? String)
                let video = try #require(try await app.upload(TestMedia.mp4(seconds: 20, width: 1080, height: 1920), named: "oven.mp4", alt: "The oven", as: ana).json()["id"] as? String)
                _ = try await app.createPost(ana, #"{"text": "Rye with @miller.bsky.social and @nobody.example #bread 🍞 \#(shop.baseURL)/rye?x=1", "thread": ["Part two, été"], "channels": ["\#(skeets)"], "schedule": {"now": true}}"#)
                _ = try await app.createPost(ana, #"{"text": "Two photos", "media": ["\#(image)", "\#(jpeg)"], "channels": ["\#(skeets)"], "schedule": {"now": true}}"#)
                _ = try await app.createPost(ana, #"{"text": "", "media": ["\#(video)"], "channels": ["\#(skeets)"], "schedule": {"now": true}}"#.replacingOccurrences(of: #""text": """#, with: #""text": "Into the oven""#))
                try await app.publishDueDeliveries()

                let records = bluesky.controls.recordObjects
                #expect(records.count == 4)
                for record in records {
                    #expect(lexicon.problems(in: record, as: "app.bsky.feed.post") == [], "\(record)")
                }
                #expect(Set(records.compactMap { ($0["embed"] as? [String: Any])?["$type"] as? String }) == ["app.bsky.embed.external", "app.bsky.embed.images", "app.bsky.embed.video"])

                // The first post's link has its card: the page's own title, description and image.
                let card = try #require((records[0]["embed"] as? [String: Any])?["external"] as? [String: Any])
                #expect(card["uri"] as? String == "\(shop.baseURL)/rye?x=1")
                #expect(card["title"] as? String == "Rye & spelt, baked at 5")
                #expect(card["description"] as? String == #"Our "rye of the week" — 800 g."#)
                let thumb = try #require(card["thumb"] as? [String: Any])
                #expect(thumb["mimeType"] as? String == "image/png" && thumb["size"] as? Int == 1_000)
                #expect(shop.requests.map(\.path) == ["/rye", "/rye.png"])
            }
        }
    }

    /// The validator itself refuses what a PDS would, so a pass above means something.
    @Test func theValidatorRefusesRecordsThatBreakTheLexicon() throws {
        let lexicon = try Lexicon()
        let valid: [String: Any] = ["$type": "app.bsky.feed.post", "text": "Hello", "createdAt": "2026-12-01T12:00:00.000Z"]
        #expect(lexicon.problems(in: valid, as: "app.bsky.feed.post") == [])
        var tooLong = valid
        tooLong["text"] = String(repeating: "é", count: 301)
        #expect(lexicon.problems(in: tooLong, as: "app.bsky.feed.post").contains("record.text: over 300 graphemes"))
        var noDate = valid
        noDate["createdAt"] = nil
        #expect(lexicon.problems(in: noDate, as: "app.bsky.feed.post") == ["record.createdAt: required"])
        var badDate = valid
        badDate["createdAt"] = "yesterday"
        #expect(!lexicon.problems(in: badDate, as: "app.bsky.feed.post").isEmpty)
        var badFacet = valid
        badFacet["facets"] = [["index": ["byteStart": -1, "byteEnd": 2], "features": [["$type": "app.bsky.richtext.facet#mention", "did": "miller"]]]]
        let facetProblems = lexicon.problems(in: badFacet, as: "app.bsky.feed.post")
        #expect(facetProblems.contains("record.facets[0].index.byteStart: under 0"))
        #expect(facetProblems.contains("record.facets[0].features[0].did: not a valid did"))
        var hugeImage = valid
        hugeImage["embed"] = ["$type": "app.bsky.embed.images", "images": [["alt": "", "image": ["$type": "blob", "ref": ["$link": "bafkrei"], "mimeType": "video/mp4", "size": 5_000_000]]]]
        #expect(lexicon.problems(in: hugeImage, as: "app.bsky.feed.post").count == 2)
    }
}
