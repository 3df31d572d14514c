@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Posts and the composer's check with real channels: each channel counts by its own limits,
/// and nothing is scheduled that a channel would refuse.
@Suite struct ChannelPostTests {
    private func connect(_ app: Application, _ member: Member, _ fake: FakeMastodon) async throws -> String {
        let response = try await app.api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member,
                                          json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token"}"#)
        return try #require(try response.json()["id"] as? String)
    }

    @Test(arguments: TestDatabase.all)
    func aMastodonChannelIsCountedByItsInstancesLimitAndLinkReservation(_ database: TestDatabase) async throws {
        try await FakeMastodon.with(.init(maxCharacters: 100, charactersReservedPerURL: 30)) { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connect(app, ana, fake)
                let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana,
                                                  json: #"{"text": "Fresh rye today https://example.com/bread/rye-sourdough", "networks": ["mastodon"], "channels": ["\#(channel)"]}"#)
                #expect(response.status == .ok, "\(response.text)")
                let results = try #require(try response.json()["results"] as? [String: [String: Any]])
                #expect(results[channel]?["limit"] as? Int == 100)
                #expect(results[channel]?["length"] as? Int == 16 + 30, "the link counts as the instance's 30")
                #expect(results["mastodon"]?["limit"] as? Int == 500, "without a channel, Mastodon's defaults")
                #expect(results["mastodon"]?["length"] as? Int == 16 + 23)

                let onlyChannels = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana,
                                                      json: #"{"text": "\#(String(repeating: "a", count: 101))", "channels": ["\#(channel)"]}"#)
                let over = try #require(try onlyChannels.json()["results"] as? [String: [String: Any]])[channel]
                #expect(over?["valid"] as? Bool == false)
                #expect((over?["problems"] as? [[String: Any]])?.first?["message"] as? String == "Mastodon allows 100; this is 101. Shorten it by 1.")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aChannelOfAnotherWorkspaceCannotBeCheckedOrChosen(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.makeMember("ben@example.com")
                let anasChannel = try await connect(app, ana, fake)
                let check = try await app.api(.POST, "/api/v1/workspaces/\(ben.workspaceID)/compose/check", as: ben,
                                               json: #"{"text": "Hi", "channels": ["\#(anasChannel)"]}"#)
                #expect(check.status == .unprocessableEntity)
                #expect(try check.apiError().fields["channels"]?.contains("Unknown channel") == true)
                let post = try await app.api(.POST, "/api/v1/workspaces/\(ben.workspaceID)/posts", as: ben,
                                              json: #"{"text": "Hi", "channels": ["\#(anasChannel)"]}"#)
                #expect(post.status == .unprocessableEntity)
                #expect(try await Post.query(on: app.db).count() == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aScheduleIsRefusedNamingTheChannelThatWouldRefuseThePost(_ database: TestDatabase) async throws {
        try await FakeMastodon.with(.init(maxCharacters: 100)) { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await connect(app, ana, fake)
                let long = String(repeating: "Rye ", count: 30)  // 120 characters
                let base = "/api/v1/workspaces/\(ana.workspaceID)/posts"

                let refused = try await app.api(.POST, base, as: ana, json: #"{"text": "\#(long)", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                #expect(refused.status == .unprocessableEntity)
                let error = try refused.apiError()
                #expect(error.message == "The post does not fit every channel, so it was not scheduled.")
                #expect(error.fields["schedule"] == "@bakery@bakery.example: Mastodon allows 100; this is 120. Shorten it by 20.")

                // A shorter text of the channel's own fits; the queue needs the channel's posting times.
                let fitting = try await app.api(.POST, base, as: ana, json: #"{"text": "\#(long)", "channels": ["\#(channel)"], "variants": {"\#(channel)": {"text": "Rye today."}}, "schedule": {"queue": true}}"#)
                #expect(fitting.status == .unprocessableEntity)
                #expect(try fitting.apiError().fields["schedule"] == "@bakery@bakery.example has no posting times yet: set them for the channel, or choose a time.")
                #expect(try await Post.query(on: app.db).count() == 0, "nothing is stored either way")
                #expect(try await Delivery.query(on: app.db).count() == 0)

                // As a draft the long text is kept, with its channel and the channel's own variant.
                let draft = try await app.api(.POST, base, as: ana, json: #"{"text": "\#(long)", "channels": ["\#(channel)"], "variants": {"\#(channel)": {"text": "Rye today."}}}"#)
                #expect(draft.status == .created)
                #expect(try draft.json()["channels"] as? [String] == [channel])
                #expect(try draft.json()["variants"] as? [String: String] == [channel: "Rye today."])

                // Taking the channel off the post takes its own text off too, rather than refusing the change.
                let draftID = try #require(try draft.json()["id"] as? String)
                let without = try await app.api(.PATCH, "\(base)/\(draftID)", as: ana, json: #"{"channels": []}"#)
                #expect(without.status == .ok, "\(without.text)")
                #expect(try without.json()["variants"] as? [String: String] == [:])
            }
        }
    }
}
