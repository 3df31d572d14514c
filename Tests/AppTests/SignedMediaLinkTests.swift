@testable import App
import Foundation
import Networks
import Synchronization
import Testing
import TextRules
import Vapor
import VaporTesting

/// The addresses a network fetches a post's file at (Instagram and Threads take media only so):
/// under the public address, for one file, until a time; anything else is a 404.
@Suite struct SignedMediaLinkTests {
    @Test func aPostsFileIsServedAtItsSignedAddressForAWhileAndNothingElseIs() async throws {
        try await withTrestle(.sqlite, publicURL: URL(string: "https://social.bakery.example")!) { app in
            let clock = ManualClock(Date())
            app.wiring.clock = clock
            // Instagram as a test writes it: it keeps the addresses of the media it was given.
            let addresses = Mutex<[URL]>([])
            app.wiring.connectors = app.wiring.connectors.adding(ScriptedConnector(.instagram) { part in
                addresses.withLock { $0 += part.media.compactMap(\.publicURL) }
                return PublishedPart(remoteID: "1", url: nil)
            })
            let ana = try await app.makeMember("ana@example.com")
            let connected = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana, json: #"{"network": "instagram", "token": "t"}"#)
            let channel = try #require(try connected.json()["id"] as? String)
            let jpeg = TestMedia.jpeg(width: 1080, height: 1080, size: 3_000)
            let image = try #require(try await app.upload(jpeg, named: "loaf.jpg", alt: "A loaf", as: ana).json()["id"] as? String)
            let other = try #require(try await app.upload(TestMedia.jpeg(width: 1080, height: 1080, size: 2_000), named: "other.jpg", as: ana).json()["id"] as? String)
            _ = try await app.createPost(ana, #"{"text": "Loaf", "media": ["\#(image)"], "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
            #expect(try await app.publishDueDeliveries() == 1)

            let address = try #require(addresses.withLock { $0.first })
            #expect(address.absoluteString.hasPrefix("https://social.bakery.example/media-links/\(image.lowercased())/"))
            let path = address.path
            let served = try await app.testing().sendRequest(.GET, path)
            #expect(served.status == .ok)
            #expect(Data(buffer: served.body) == jpeg && served.headers.contentType?.description == "image/jpeg")

            // Another file under the same signature, another time, a changed signature: unknown.
            let parts = path.split(separator: "/").map(String.init)
            for wrong in [
                "/media-links/\(other.lowercased())/\(parts[2])/\(parts[3])",
                "/media-links/\(parts[1])/\(Int(parts[2])! + 60)/\(parts[3])",
                "/media-links/\(parts[1])/\(parts[2])/\(String(parts[3].reversed()))",
                "/media-links/\(parts[1])/\(parts[2])/x",
            ] {
                #expect(try await app.testing().sendRequest(.GET, wrong).status == .notFound, "\(wrong)")
            }
            clock.advance(by: SignedMediaLinks.lifetime + 1)
            #expect(try await app.testing().sendRequest(.GET, path).status == .notFound, "expired")
        }
    }

    @Test func withoutAPublicAddressNoFileIsOffered() async throws {
        try await withTrestle(.sqlite) { app in
            #expect(app.wiring.mediaLinks == nil)
            let answer = try await app.testing().sendRequest(.GET, "/media-links/\(UUID())/9999999999/\(String(repeating: "a", count: 43))")
            #expect(answer.status == .notFound)
        }
    }
}
