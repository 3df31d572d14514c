@testable import App
import Foundation
import Networks
import Synchronization
import Testing
import TextRules
import Vapor
import VaporTesting

/// Each network is a connector in the registry: the app connects, publishes, hears and counts
/// through it, so a network added as one registry line is offered on the Channels page and by
/// the API, and publishes, with no other change. Mastodon's and Bluesky's connectors upload,
/// delete and refresh against their loopback fakes.
@Suite struct ConnectorTests {
    @Test func aNetworkAddedToTheRegistryIsOfferedConnectedAndPublishedTo() async throws {
        try await withTrestle(.sqlite) { app in
            let published = Mutex<[String]>([])
            let linkedIn = ScriptedConnector(.linkedin, acceptedToken: "linkedin-token") { part in
                let count = published.withLock { $0.append(part.text); return $0.count }
                return PublishedPart(remoteID: "urn:li:share:\(count)", url: "https://www.linkedin.example/feed/update/urn:li:share:\(count)")
            }
            app.wiring.connectors = app.wiring.connectors.adding(linkedIn)
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", "correct horse 1")
            let page = try await browser.get("/workspaces/\(ana.workspaceID)/channels").body.string
            #expect(page.contains("Connect a LinkedIn account"))
            #expect(page.contains(#"id="linkedin-token" name="token" type="password""#))
            #expect(!page.contains(#"id="connect-later""#), "no network left that Trestle does not connect")

            // The API takes the connector's own field, and says its own words when it is missing.
            let path = "/api/v1/workspaces/\(ana.workspaceID)/channels"
            let missing = try await app.api(.POST, path, as: ana, json: #"{"network": "linkedin", "token": ""}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(try missing.apiError().fields["token"] == "Paste the token LinkedIn gave you.")
            let refused = try await app.api(.POST, path, as: ana, json: #"{"network": "linkedin", "token": "old"}"#)
            #expect(try refused.apiError().fields["token"]?.contains("LinkedIn refused the token.") == true)

            // The page's form connects it.
            let connected = try await browser.post("/workspaces/\(ana.workspaceID)/channels", ["network": "linkedin", "token": "linkedin-token", "timezone": "Europe/Paris"])
            #expect(connected.status == .seeOther)
            let channels = try await app.api(.GET, path, as: ana).jsonArray()
            let channel = try #require(channels.first)
            #expect(channel["network"] as? String == "linkedin")
            #expect(channel["handle"] as? String == "@cornerbakery")

            _ = try await app.createPost(ana, #"{"text": "Croissants at 7.", "channels": ["\#(channel["id"] as? String ?? "")"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 1)
            #expect(published.withLock { $0 } == ["Croissants at 7."])
        }
    }

    @Test func mastodonDeletesAndUploadsThroughItsConnector() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let connector = try #require(app.wiring.connectors.connector(for: .mastodon))
                let account = PublishingAccount(server: URL(string: mastodon.url)!, accountID: "10984", credentials: NetworkCredentials(accessToken: "good-token"))
                let uploaded = try await connector.upload(
                    MediaToPublish(bytes: TestMedia.png(width: 4, height: 4), mimeType: "image/png", filename: "bun.png", altText: "A bun", isVideo: false, width: 4, height: 4),
                    as: account)
                #expect(mastodon.controls.media.withLock { $0[uploaded.id] } != nil)

                let part = PartToPublish(text: "Buns", index: 0, idempotencyKey: "key-1", recordKey: "", createdAt: Date(), maybeSentSince: nil)
                let published = try await connector.publish(part, thread: nil, as: account).part
                #expect(mastodon.controls.statuses.withLock { $0.count } == 1)
                try await connector.delete(published, as: account)
                #expect(mastodon.controls.statuses.withLock { $0.isEmpty })
                try await connector.delete(published, as: account)  // gone already: deleted
                await #expect(throws: NetworkError.self) { try await connector.delete(PublishedPart(remoteID: "../../admin", url: nil), as: account) }
                #expect(try await connector.refresh(account, app: nil, now: Date()) == nil, "Mastodon's tokens do not expire")
            }
        }
    }

    @Test func blueskyDeletesUploadsAndRefreshesThroughItsConnector() async throws {
        try await FakeBluesky.with { bluesky in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let connector = try #require(app.wiring.connectors.connector(for: .bluesky))
                let bakery = FakeBluesky.bakery
                let account = PublishingAccount(server: URL(string: bluesky.url)!, accountID: bakery.did,
                                                credentials: NetworkCredentials(identifier: bakery.handle, appPassword: bakery.appPassword, refreshJwt: "refresh-\(bakery.did)"))
                let refreshed = try #require(try await connector.refresh(account, app: nil, now: Date()), "the session was refreshed: its refresh token rotated")
                #expect(refreshed.refreshJwt == "refresh-\(bakery.did)-rotated")

                let bytes = TestMedia.png(width: 4, height: 4)
                let uploaded = try await connector.upload(
                    MediaToPublish(bytes: bytes, mimeType: "image/png", filename: "bun.png", altText: "A bun", isVideo: false, width: 4, height: 4), as: account)
                #expect(bluesky.controls.blobs.withLock { $0[uploaded.id] } == bytes)
                let blob = try JSONDecoder().decode(BlueskyBlob.self, from: try #require(uploaded.reference))
                #expect(blob.ref.link == uploaded.id && blob.size == bytes.count)

                let part = PartToPublish(text: "Buns", index: 0, idempotencyKey: "key-1", recordKey: "3lbun2aaaaa22", createdAt: Date(), maybeSentSince: nil)
                let published = try await connector.publish(part, thread: nil, as: account).part
                #expect(bluesky.controls.records.withLock { $0.count } == 1)
                try await connector.delete(published, as: account)
                #expect(bluesky.controls.records.withLock { $0.isEmpty })
                await #expect(throws: NetworkError.self, "another account's post is not deleted") {
                    try await connector.delete(PublishedPart(remoteID: "at://did:plc:someoneelse/app.bsky.feed.post/3lbun2aaaaa22", url: nil), as: account)
                }
            }
        }
    }
}
