@testable import App
import Foundation
import Networks
import Testing
import TextRules
import Vapor

/// Writing a post to a Bluesky repository exactly once: its record key is fixed before it is
/// sent, and a record already under that key is the post itself.
@Suite struct BlueskyRecordTests {
    @Test func recordKeysAreTIDsThatSortByTime() {
        #expect(TID.make(microseconds: 0, clockID: 0) == "2222222222222")
        let now = Date(timeIntervalSince1970: 1_798_761_600.123456)
        let first = TID.make(at: now, clockID: 0)
        let second = TID.make(at: now, clockID: 1)
        let later = TID.make(at: now.addingTimeInterval(0.000_001), clockID: 0)
        for tid in [first, second, later, TID.make(microseconds: .max, clockID: .max)] {
            #expect(ATProtoSyntax.isValidTID(tid), "\(tid)")
        }
        #expect(first < second && second < later)
    }

    @Test func aPostAndItsReplyAreWrittenWithFacetsAndTheSecondCreateFindsTheFirst() async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let client = BlueskyClient(serviceURL: URL(string: fake.url)!, http: app.networkHTTP)
                let session = try await client.createSession(identifier: "bakery.bsky.social", password: FakeBluesky.bakery.appPassword)
                let text = "Fresh loaves at 8 with @miller.bsky.social #sourdough bakery.com/today"
                let facets = BlueskyTextRules().facets(in: text)
                let rkey = TID.make(at: Date(), clockID: 0)
                #expect(try await client.post(repo: session.did, rkey: rkey, accessJwt: session.accessJwt) == nil)
                let record = BlueskyPostRecord(text: text, createdAt: Date(), facets: facets)
                let made = try await client.createPost(record, repo: session.did, rkey: rkey, accessJwt: session.accessJwt)
                #expect(made.uri == "at://\(session.did)/app.bsky.feed.post/\(rkey)")
                #expect(made.webURL == "https://bsky.app/profile/\(session.did)/post/\(rkey)")

                // The same key again: the PDS refuses, and the record is found under it.
                await #expect(throws: NetworkError.self) {
                    _ = try await client.createPost(record, repo: session.did, rkey: rkey, accessJwt: session.accessJwt)
                }
                let found = try await client.post(repo: session.did, rkey: rkey, accessJwt: session.accessJwt)
                #expect(found?.ref == made)
                #expect(found?.text == text, "the stored text tells our post from another under the same key")
                #expect(fake.controls.records.withLock { $0.count } == 1)

                let replyKey = TID.make(at: Date(), clockID: 1)
                let reply = BlueskyPostRecord(text: "Part two", createdAt: Date(), reply: .init(root: made, parent: made))
                _ = try await client.createPost(reply, repo: session.did, rkey: replyKey, accessJwt: session.accessJwt)
                let stored = fake.controls.recordObjects
                #expect(stored.count == 2)
                let first = stored[0]
                #expect(first["$type"] as? String == "app.bsky.feed.post")
                #expect((first["createdAt"] as? String)?.hasSuffix("Z") == true)
                #expect((first["facets"] as? [[String: Any]])?.count == 3)
                let replyRef = try #require(stored[1]["reply"] as? [String: [String: String]])
                #expect(replyRef["root"]?["uri"] == made.uri && replyRef["parent"]?["cid"] == made.cid)
                #expect(try await client.did(ofHandle: "miller.bsky.social") == FakeBluesky.miller.did)
                #expect(try await client.did(ofHandle: "nobody.example") == nil)
            }
        }
    }
}

extension BlueskyRecordTests {
    /// Two deliveries whose record keys happen to meet: the second is never taken for the first's
    /// post. It fails with the reason instead of claiming a post that is not its own.
    @Test(arguments: TestDatabase.all)
    func aRecordKeyHeldByAnotherPostIsNeverTakenForThisOne(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { bluesky in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectBluesky(ana, bluesky)
                _ = try await app.createPost(ana, #"{"text": "Fresh pretzels", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                let delivery = try #require(try await Delivery.query(on: app.db).first())
                let other = try JSONSerialization.data(withJSONObject: ["$type": "app.bsky.feed.post", "text": "Another post", "createdAt": "2026-12-01T08:00:00.000Z"])
                bluesky.controls.records.withLock { $0.append((rkey: delivery.recordKey(part: 0), repo: FakeBluesky.bakery.did, json: other)) }

                try await app.publishDueDeliveries()
                let failed = try #require(try await Delivery.find(delivery.id, on: app.db))
                #expect(failed.state == .failed)
                #expect(failed.error?.contains("record key") == true, "\(failed.error ?? "")")
                #expect(failed.remoteID == nil)
            }
        }
    }
}
