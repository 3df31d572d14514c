@testable import App
import Foundation
import Networks
import Testing
import Vapor

/// Posting a status exactly once: the `Idempotency-Key` makes a resend the same status, and
/// where a server ignores the key, a post whose answer was lost is found among the account's
/// own statuses before anything is sent again.
@Suite struct MastodonStatusTests {
    private static let text = "Fresh loaves & <croissants> at 8!\nhttps://bakery.example/today @miller #sourdough\n\nSee you"

    @Test func theSameKeyTwiceIsOneStatusOnAServerThatHonoursIt() async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let client = MastodonClient(instanceURL: URL(string: fake.url)!, http: app.networkHTTP)
                let first = try await client.postStatus(text: Self.text, idempotencyKey: "delivery-1", accessToken: "good-token")
                let again = try await client.postStatus(text: Self.text, idempotencyKey: "delivery-1", accessToken: "good-token")
                #expect(first.id == again.id)
                #expect(fake.controls.statuses.withLock { $0.count } == 1)
                #expect(fake.server.requests.filter { $0.path == "/api/v1/statuses" }.count == 2)
                let reply = try await client.postStatus(text: "Part two", inReplyTo: first.id, idempotencyKey: "delivery-1/2", accessToken: "good-token")
                #expect(fake.controls.statuses.withLock { $0.last?.inReplyToID } == first.id)
                #expect(reply.url?.hasSuffix(reply.id) == true)
            }
        }
    }

    @Test func aPostWhoseAnswerWasLostIsFoundBeforeItIsSentAgain() async throws {
        try await FakeMastodon.with(.init(honoursIdempotencyKey: false)) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let client = MastodonClient(instanceURL: URL(string: fake.url)!, http: app.networkHTTP)
                let sentAt = Date()
                #expect(try await client.recentStatus(of: "10984", matching: Self.text, inReplyTo: nil, since: sentAt, accessToken: "good-token") == nil)
                let posted = try await client.postStatus(text: Self.text, idempotencyKey: "delivery-2", accessToken: "good-token")
                _ = try await client.postStatus(text: "Something else", idempotencyKey: "delivery-3", accessToken: "good-token")
                let found = try await client.recentStatus(of: "10984", matching: Self.text, inReplyTo: nil, since: sentAt, accessToken: "good-token")
                #expect(found?.id == posted.id, "the HTML Mastodon gives back reads as the text that was sent")
                #expect(try await client.recentStatus(of: "10984", matching: Self.text, inReplyTo: "999", since: sentAt, accessToken: "good-token") == nil,
                        "a reply elsewhere is another post")
                #expect(try await client.recentStatus(of: "10984", matching: Self.text, inReplyTo: nil, since: sentAt.addingTimeInterval(600), accessToken: "good-token") == nil,
                        "an older status with the same words is not this delivery")
            }
        }
    }

    @Test func aRevokedTokenIsUnauthorizedNotAFailureToRetry() async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                fake.controls.revoke("good-token")
                let client = MastodonClient(instanceURL: URL(string: fake.url)!, http: app.networkHTTP)
                do {
                    _ = try await client.postStatus(text: "Hello", idempotencyKey: "k", accessToken: "good-token")
                    Issue.record("expected unauthorized")
                } catch let error as NetworkError {
                    guard case .unauthorized = error else { Issue.record("\(error)"); return }
                    #expect(!error.isTransient)
                }
            }
        }
    }
}
