@testable import App
import Fluent
import Foundation
import Networks
import Testing
import Vapor

/// The publisher: every delivery published exactly once, on time, or failed with a reason a
/// person can act on — through retries, a worker that stopped mid-send, edits and deletes.
@Suite struct PublishingTests {
    @Test(arguments: TestDatabase.all)
    func aThreadScheduledNowIsPublishedOnceToMastodonAndBluesky(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let toots = try await app.connectMastodon(ana, mastodon)
                    let skeets = try await app.connectBluesky(ana, bluesky)
                    let post = try await app.createPost(ana, #"{"text": "New rye today with @miller.bsky.social #bread", "thread": ["Baked since 5 am."], "channels": ["\#(toots)", "\#(skeets)"], "schedule": {"now": true}}"#)
                    #expect(post["status"] as? String == "scheduled")
                    let id = try #require(post["id"] as? String)
                    #expect(try await app.deliveries(of: id, ana).map { $0["state"] as? String } == ["scheduled", "scheduled"])

                    #expect(try await app.publishDueDeliveries() == 2)
                    #expect(try await app.publishDueDeliveries() == 0, "nothing is left to do")

                    let deliveries = try await app.deliveries(of: id, ana)
                    #expect(deliveries.allSatisfy { $0["state"] as? String == "published" }, "\(deliveries)")
                    let statuses = mastodon.controls.statuses.withLock { $0 }
                    #expect(statuses.map(\.text) == ["New rye today with @miller.bsky.social #bread", "Baked since 5 am."])
                    #expect(statuses[1].inReplyToID == statuses[0].id, "the thread replies to its first part")
                    let records = bluesky.controls.recordObjects
                    #expect(records.count == 2)
                    #expect(((records[0]["facets"] as? [[String: Any]])?.compactMap { ($0["features"] as? [[String: Any]])?.first?["did"] as? String }) == [FakeBluesky.miller.did],
                            "the mention names the resolved DID")
                    #expect((records[1]["reply"] as? [String: [String: String]])?["root"]?["uri"]?.hasPrefix("at://\(FakeBluesky.bakery.did)/app.bsky.feed.post/") == true)
                    let mastodonDelivery = try #require(deliveries.first { $0["channel"] as? String == toots })
                    #expect(mastodonDelivery["remoteId"] as? String == statuses[0].id)
                    #expect((mastodonDelivery["remoteURL"] as? String)?.hasSuffix(statuses[0].id) == true)
                    let shown = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(id)", as: ana).json()
                    #expect(shown["status"] as? String == "published")
                }
            }
        }
    }

    /// The worker stopped after the network took the post but before Trestle heard: the
    /// delivery is found `sending`, and the post is looked for, not sent again — also where the
    /// server ignores `Idempotency-Key`.
    @Test(arguments: TestDatabase.all)
    func aDeliveryFoundSendingAfterACrashIsNotSentAgain(_ database: TestDatabase) async throws {
        try await FakeMastodon.with(.init(honoursIdempotencyKey: false)) { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let toots = try await app.connectMastodon(ana, mastodon)
                    let skeets = try await app.connectBluesky(ana, bluesky)
                    let post = try await app.createPost(ana, #"{"text": "Croissants at 8", "channels": ["\#(toots)", "\#(skeets)"], "schedule": {"now": true}}"#)
                    let id = try #require(post["id"] as? String)

                    // What the worker did before it died: committed `sending`, and the networks took the post.
                    let began = Date()
                    for delivery in try await Delivery.query(on: app.db).all() {
                        delivery.state = .sending
                        delivery.sendingSince = began
                        try await delivery.save(on: app.db)
                        let http = app.networkHTTP
                        if delivery.network == .mastodon {
                            _ = try await MastodonClient(instanceURL: URL(string: mastodon.url)!, http: http)
                                .postStatus(text: "Croissants at 8", idempotencyKey: "lost", accessToken: "good-token")
                        } else {
                            let client = BlueskyClient(serviceURL: URL(string: bluesky.url)!, http: http)
                            let session = try await client.createSession(identifier: "bakery.bsky.social", password: FakeBluesky.bakery.appPassword)
                            _ = try await client.createPost(BlueskyPostRecord(text: "Croissants at 8", createdAt: began), repo: session.did,
                                                            rkey: delivery.recordKey(part: 0), accessJwt: session.accessJwt)
                        }
                    }
                    #expect(try await app.publishDueDeliveries() == 2, "the jobs run again, as after their leases ran out")
                    #expect(mastodon.controls.statuses.withLock { $0.count } == 1, "not posted twice")
                    #expect(bluesky.controls.records.withLock { $0.count } == 1, "not posted twice")
                    let deliveries = try await app.deliveries(of: id, ana)
                    #expect(deliveries.allSatisfy { $0["state"] as? String == "published" && $0["remoteId"] != nil }, "\(deliveries)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBusyNetworkIsRetriedLaterAndARefusalFailsWithTheNetworksWords(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let toots = try await app.connectMastodon(ana, mastodon)
                mastodon.controls.postFailures.withLock { $0 = [.serviceUnavailable, .tooManyRequests, .unprocessableEntity] }

                let busy = try #require(try await app.createPost(ana, #"{"text": "Soup of the day", "channels": ["\#(toots)"], "schedule": {"now": true}}"#)["id"] as? String)
                try await app.publishDueDeliveries()
                var delivery = try #require(try await app.deliveries(of: busy, ana).first)
                #expect(delivery["state"] as? String == "retrying")
                #expect(delivery["error"] as? String == "Mastodon had a problem on its side (Something went wrong on our end); Trestle tries again.", "\(delivery)")
                #expect(try await app.publishDueDeliveries() == 0, "not due again yet")

                clock.advance(by: 60)
                try await app.publishDueDeliveries()
                delivery = try #require(try await app.deliveries(of: busy, ana).first)
                #expect(delivery["state"] as? String == "retrying", "429: waits as long as the instance asks")
                let wait = try #require(delivery["scheduledAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
                #expect(wait.map { $0.timeIntervalSince(clock.now()) > 100 } == true, "X-RateLimit-Reset said two minutes")

                clock.advance(by: 180)
                try await app.publishDueDeliveries()
                delivery = try #require(try await app.deliveries(of: busy, ana).first)
                #expect(delivery["state"] as? String == "failed")
                #expect(delivery["error"] as? String == "Mastodon refused: Validation failed: Text character limit of 500 exceeded")
                #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(busy)", as: ana).json()["status"] as? String == "failed")

                // Retrying sends the failed one again; the network takes it this time.
                let retried = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(busy)/retry", as: ana)
                #expect(retried.status == .ok)
                try await app.publishDueDeliveries()
                #expect(try await app.deliveries(of: busy, ana).first?["state"] as? String == "published")
                #expect(mastodon.controls.statuses.withLock { $0.count } == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func revokedCredentialsWaitForTheChannelToBeConnectedAgainThenGo(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let toots = try await app.connectMastodon(ana, mastodon)
                let id = try #require(try await app.createPost(ana, #"{"text": "Closed on Monday", "channels": ["\#(toots)"], "schedule": {"now": true}}"#)["id"] as? String)
                mastodon.controls.revoke("good-token")
                try await app.publishDueDeliveries()
                let parked = try #require(try await app.deliveries(of: id, ana).first)
                #expect(parked["state"] as? String == "failed")
                #expect((parked["error"] as? String)?.contains("Connect @bakery@bakery.example again to send it.") == true, "\(parked)")
                let channel = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(toots)", as: ana).json()
                #expect(channel["status"] as? String == "needs_reconnect")

                mastodon.controls.restore("good-token")
                _ = try await app.connectMastodon(ana, mastodon)
                try await app.publishDueDeliveries()
                #expect(try await app.deliveries(of: id, ana).first?["state"] as? String == "published")
                #expect(mastodon.controls.statuses.withLock { $0.map(\.text) } == ["Closed on Monday"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func reschedulingMovesAndEditingNeverDoublesAndDeletingCancels(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                let toots = try await app.connectMastodon(ana, mastodon)
                let base = "/api/v1/workspaces/\(ana.workspaceID)/posts"
                let inAnHour = ISO8601DateFormatter().string(from: clock.now().addingTimeInterval(3600))
                let id = try #require(try await app.createPost(ana, #"{"text": "Pie on Friday", "channels": ["\#(toots)"], "schedule": {"at": "\#(inAnHour)"}}"#)["id"] as? String)
                let first = try #require(try await app.deliveries(of: id, ana).first)

                let inTwoHours = ISO8601DateFormatter().string(from: clock.now().addingTimeInterval(7200))
                let moved = try await app.api(.PATCH, "\(base)/\(id)", as: ana, json: #"{"text": "Pie and cream on Friday", "schedule": {"at": "\#(inTwoHours)"}}"#)
                #expect(moved.status == .ok, "\(moved.text)")
                let deliveries = try await app.deliveries(of: id, ana)
                #expect(deliveries.count == 1, "editing never makes a second delivery")
                #expect(deliveries[0]["id"] as? String == first["id"] as? String)
                #expect(deliveries[0]["scheduledAt"] as? String == inTwoHours)

                clock.advance(by: 3_700)
                #expect(try await app.publishDueDeliveries() == 1, "the old wake-up runs…")
                #expect(mastodon.controls.statuses.withLock { $0.isEmpty }, "…and finds the delivery not yet due")
                clock.advance(by: 3_600)
                try await app.publishDueDeliveries()
                #expect(mastodon.controls.statuses.withLock { $0.map(\.text) } == ["Pie and cream on Friday"], "the edited text goes")

                let later = try #require(try await app.createPost(ana, #"{"text": "Bread club next week", "channels": ["\#(toots)"], "schedule": {"at": "\#(ISO8601DateFormatter().string(from: clock.now().addingTimeInterval(86_400)))"}}"#)["id"] as? String)
                #expect(try await app.api(.DELETE, "\(base)/\(later)", as: ana).status == .noContent)
                clock.advance(by: 2 * 86_400)
                try await app.publishDueDeliveries()
                #expect(mastodon.controls.statuses.withLock { $0.count } == 1, "a deleted post never goes out")
                #expect(try await Delivery.query(on: app.db).count() == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theQueueTakesEachChannelsNextFreeSlot(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                // Monday 7 December 2026, 08:00 in New York.
                app.wiring.clock = ManualClock(ISO8601DateFormatter().date(from: "2026-12-07T13:00:00Z")!)
                let ana = try await app.makeMember("ana@example.com")
                let toots = try await app.connectMastodon(ana, mastodon)
                let slots = "/api/v1/workspaces/\(ana.workspaceID)/channels/\(toots)/slots"
                let set = try await app.api(.PUT, slots, as: ana, json: #"{"slots": [{"weekday": 3, "time": "12:30"}, {"weekday": 1, "time": "09:00"}]}"#)
                #expect(set.status == .ok, "\(set.text)")
                let stored = try #require(try await app.api(.GET, slots, as: ana).json()["slots"] as? [[String: Any]])
                #expect(stored.map { "\($0["weekday"] as? Int ?? 0) \($0["time"] as? String ?? "")" } == ["1 09:00", "3 12:30"])
                let refused = try await app.api(.PUT, slots, as: ana, json: #"{"slots": [{"weekday": 8, "time": "9:00"}]}"#)
                #expect(refused.status == .unprocessableEntity)
                let misspelt = try await app.api(.PUT, slots, as: ana, json: #"{"slots": [{"weekday": 1, "time": "09:00", "zone": "UTC"}]}"#)
                #expect(misspelt.status == .unprocessableEntity, "an unknown field in a slot is refused like one in the body")

                var times: [String] = []
                for text in ["One", "Two", "Three"] {
                    let id = try #require(try await app.createPost(ana, #"{"text": "\#(text)", "channels": ["\#(toots)"], "schedule": {"queue": true}}"#)["id"] as? String)
                    times.append(try #require(try await app.deliveries(of: id, ana).first?["scheduledAt"] as? String))
                }
                #expect(times == ["2026-12-07T14:00:00Z", "2026-12-09T17:30:00Z", "2026-12-14T14:00:00Z"])
            }
        }
    }
}
