@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

/// An instance a person names can answer anything; what it answers is bounded before use.
@Suite struct HostileInstanceTests {
    private func connect(_ app: Application, _ member: Member, _ fake: FakeMastodon) async throws -> TestingHTTPResponse {
        try await app.api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member,
                          json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token"}"#)
    }

    @Test func anInstanceClaimingALimitOfIntMaxIsCountedUpToTheCeilingAndTheServerLivesOn() async throws {
        try await FakeMastodon.with(.init(maxCharacters: Int.max)) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let connected = try await connect(app, ana, fake)
                #expect(connected.status == .created, "\(connected.text)")
                let id = try #require(try connected.json()["id"] as? String)
                #expect((try connected.json()["limits"] as? [String: Any])?["maxCharacters"] as? Int == 100_000)
                let check = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana,
                                              json: #"{"text": "Fresh bread https://bakery.example/today", "channels": ["\#(id)"]}"#)
                #expect(check.status == .ok, "\(check.text)")
            }
        }
    }

    @Test func anInstanceReservingIntMaxCharactersPerLinkIsRefusedWithAReason() async throws {
        try await FakeMastodon.with(.init(charactersReservedPerURL: Int.max)) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let refused = try await connect(app, ana, fake)
                #expect(refused.status == .unprocessableEntity)
                #expect(try await App.Channel.query(on: app.db).count() == 0)
            }
        }
    }

    @Test(arguments: ["1e300", "nan", "-inf", "99999999999999999999"])
    func aRateLimitResetOfAnyNumberIsAnAnswerNotACrash(_ reset: String) async throws {
        try await FakeMastodon.with(.init(rateLimited: true, rateLimitReset: reset)) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let busy = try await connect(app, ana, fake)
                #expect(busy.status == .serviceUnavailable)
                #expect(busy.headers.first(name: "Retry-After") == nil, "an unreadable wait is not passed on")
            }
        }
    }
}
