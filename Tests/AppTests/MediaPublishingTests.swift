@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Images and video go out with the post: uploaded to each network, described by their alt
/// text, and attached to the first part.
@Suite struct MediaPublishingTests {
    @Test(arguments: TestDatabase.all)
    func anImageGoesToMastodonAndBlueskyWithItsAltTextAndShape(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let toots = try await app.connectMastodon(ana, mastodon)
                    let skeets = try await app.connectBluesky(ana, bluesky)
                    let png = TestMedia.png(width: 1200, height: 800, size: 2_000)
                    let image = try #require(try await app.upload(png, named: "loaf.png", alt: "A round rye loaf on a board", as: ana).json()["id"] as? String)
                    let id = try #require(try await app.createPost(ana, #"{"text": "Rye today", "thread": ["And spelt"], "media": ["\#(image)"], "channels": ["\#(toots)", "\#(skeets)"], "schedule": {"now": true}}"#)["id"] as? String)
                    try await app.publishDueDeliveries()
                    #expect(try await app.deliveries(of: id, ana).allSatisfy { $0["state"] as? String == "published" })

                    let uploaded = try #require(mastodon.controls.media.withLock { Array($0.values) }.first)
                    #expect(uploaded.description == "A round rye loaf on a board")
                    #expect(uploaded.contentType == "image/png" && uploaded.bytes == png.count)
                    let statuses = mastodon.controls.statuses.withLock { $0 }
                    #expect(statuses.map(\.mediaIDs) == [[uploaded.id], []], "on the first part only")

                    let record = try #require(bluesky.controls.recordObjects.first)
                    let embed = try #require(record["embed"] as? [String: Any])
                    #expect(embed["$type"] as? String == "app.bsky.embed.images")
                    let entry = try #require((embed["images"] as? [[String: Any]])?.first)
                    #expect(entry["alt"] as? String == "A round rye loaf on a board")
                    #expect((entry["aspectRatio"] as? [String: Int]) == ["width": 1200, "height": 800])
                    let blob = try #require(entry["image"] as? [String: Any])
                    #expect(blob["$type"] as? String == "blob" && blob["mimeType"] as? String == "image/png" && blob["size"] as? Int == png.count)
                    let link = try #require((blob["ref"] as? [String: String])?["$link"])
                    #expect(bluesky.controls.blobs.withLock { $0[link] } == png, "the bytes uploaded are the file's")
                    #expect(bluesky.controls.recordObjects[1]["embed"] == nil)
                }
            }
        }
    }

    @Test func aVideoWaitsForTheInstanceToProcessIt() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let toots = try await app.connectMastodon(ana, mastodon)
                let video = try #require(try await app.upload(TestMedia.mp4(seconds: 12, width: 640, height: 360), named: "oven.mp4", alt: "The oven door opening", as: ana).json()["id"] as? String)
                let id = try #require(try await app.createPost(ana, #"{"text": "Into the oven", "media": ["\#(video)"], "channels": ["\#(toots)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                #expect(try await app.deliveries(of: id, ana).first?["state"] as? String == "published")
                let uploaded = try #require(mastodon.controls.media.withLock { Array($0.values) }.first)
                #expect(uploaded.contentType == "video/mp4")
                #expect(uploaded.polled >= 2, "asked until the instance said it was ready")
                #expect(mastodon.controls.statuses.withLock { $0.first?.mediaIDs } == [uploaded.id])
                #expect(mastodon.server.requests.contains { $0.path == "/api/v1/media/\(uploaded.id)" })
            }
        }
    }
}
