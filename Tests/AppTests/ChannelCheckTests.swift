@testable import App
import Fluent
import Foundation
import Networks
import Testing
import Vapor
import VaporTesting

/// A channel whose credentials stopped working says so, with the network's reason, before
/// anything is published to it; a network that is merely down changes nothing.
@Suite struct ChannelCheckTests {
    @Test(arguments: TestDatabase.all)
    func aRevokedMastodonTokenMarksTheChannelForReconnecting(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let base = "/api/v1/workspaces/\(ana.workspaceID)/channels"
                let id = try #require(try await app.api(.POST, base, as: ana, json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token"}"#).json()["id"] as? String)

                // The instance's admin raised the limit: a check brings it in.
                fake.controls.setMaxCharacters(1_000)
                let fine = try await app.api(.POST, "\(base)/\(id)/check", as: ana)
                #expect(fine.status == .ok)
                #expect(try fine.json()["status"] as? String == "active")
                #expect((try fine.json()["limits"] as? [String: Any])?["maxCharacters"] as? Int == 1_000)
                #expect(try fine.json()["checkedAt"] as? String != nil)

                fake.controls.revoke("good-token")
                let revoked = try await app.api(.POST, "\(base)/\(id)/check", as: ana)
                #expect(revoked.status == .ok, "a refused token is the answer, not an error")
                #expect(try revoked.json()["status"] as? String == "needs_reconnect")
                #expect((try revoked.json()["problem"] as? String)?.contains("refused the access token") == true)

                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                #expect(try await browser.get("/workspaces/\(ana.workspaceID)/channels").text.contains("Needs reconnecting"))
                let dashboard = try await browser.get("/workspaces/\(ana.workspaceID)").text
                #expect(dashboard.contains("A channel needs reconnecting"), "the dashboard says so first")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBlueskyCheckRefreshesTheSessionAndFallsBackToTheAppPassword(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let base = "/api/v1/workspaces/\(ana.workspaceID)/channels"
                let id = try #require(try await app.api(.POST, base, as: ana, json: #"{"network": "bluesky", "service": "\#(fake.url)", "identifier": "bakery.bsky.social", "appPassword": "abcd-efgh-ijkl-mnop"}"#).json()["id"] as? String)

                #expect(try await app.api(.POST, "\(base)/\(id)/check", as: ana).json()["status"] as? String == "active")
                #expect(fake.server.requests.filter { $0.path.hasSuffix("createSession") }.count == 1, "the refresh token did, no new login")
                var channel = try #require(try await App.Channel.find(UUID(uuidString: id), on: app.db))
                #expect(try app.channelService(app.db).credentials(of: channel).refreshJwt == "refresh-did:plc:ewvi7nxzyoun6zhxrhs64oiz-rotated")

                fake.controls.refreshExpired.withLock { $0 = true }
                #expect(try await app.api(.POST, "\(base)/\(id)/check", as: ana).json()["status"] as? String == "active")
                #expect(fake.server.requests.filter { $0.path.hasSuffix("createSession") }.count == 2, "the app password logs in again")

                fake.controls.revokedPasswords.withLock { _ = $0.insert("abcd-efgh-ijkl-mnop") }
                let revoked = try await app.api(.POST, "\(base)/\(id)/check", as: ana)
                #expect(try revoked.json()["status"] as? String == "needs_reconnect")
                channel = try #require(try await App.Channel.find(UUID(uuidString: id), on: app.db))
                #expect(channel.problem?.contains("refused the handle or app password") == true)
            }
        }
    }

    @Test func aNetworkThatIsDownLeavesTheChannelAsItWas() async throws {
        let server = try HangUpServer()
        defer { server.stop() }
        try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
            let ana = try await app.makeMember("ana@example.com")
            let channel = try await app.storeMastodonChannel(for: ana, server: "http://127.0.0.1:\(server.port)")
            let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(try channel.requireID())/check", as: ana)
            #expect(response.status == .badGateway)
            let after = try #require(try await App.Channel.find(channel.id, on: app.db))
            #expect(after.status == .active)
            #expect(after.checkedAt == nil)
        }
    }
}

@Suite struct ChannelHealthSweepTests {
    @Test(arguments: TestDatabase.all)
    func theWorkerChecksEachChannelOnceADayAndOnlyOnce(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let base = "/api/v1/workspaces/\(ana.workspaceID)/channels"
                let id = try #require(try await app.api(.POST, base, as: ana, json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token"}"#).json()["id"] as? String)
                let sweep = ChannelHealthSweep(service: app.channelService(app.db), logger: app.logger)
                fake.controls.revoke("good-token")

                #expect(try await sweep.run() == 0, "checked when connected, not due for a day")
                let tomorrow = Date().addingTimeInterval(ChannelHealthSweep.interval + 60)
                #expect(try await sweep.run(now: tomorrow) == 1)
                let channel = try #require(try await App.Channel.find(UUID(uuidString: id), on: app.db))
                #expect(channel.status == .needsReconnect)
                #expect(try await sweep.run(now: tomorrow.addingTimeInterval(60)) == 0, "claimed: not checked twice")
            }
        }
    }

    @Test func aNetworkThatIsDownIsTriedAgainInAnHour() async throws {
        let server = try HangUpServer()
        defer { server.stop() }
        try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
            let ana = try await app.makeMember("ana@example.com")
            let channel = try await app.storeMastodonChannel(for: ana, server: "http://127.0.0.1:\(server.port)")
            let sweep = ChannelHealthSweep(service: app.channelService(app.db), logger: app.logger)
            let now = Date()
            #expect(try await sweep.run(now: now) == 0)
            let after = try #require(try await App.Channel.find(channel.id, on: app.db))
            #expect(after.status == .active, "a network that is down says nothing about the token")
            #expect(try await sweep.run(now: now.addingTimeInterval(30 * 60)) == 0)
            // Due again an hour later: the check runs (and fails again) rather than waiting a day.
            _ = try await sweep.run(now: now.addingTimeInterval(ChannelHealthSweep.retryAfterFailure + 60))
            let later = try #require(try await App.Channel.find(channel.id, on: app.db))
            #expect(try #require(later.checkedAt) > now.addingTimeInterval(ChannelHealthSweep.retryAfterFailure - ChannelHealthSweep.interval + 30))
        }
    }
}

@Suite struct ChannelChangeTests {
    @Test(arguments: TestDatabase.all)
    func aChannelIsRenamedAndMovedToAnotherZoneWithoutConnectingAgain(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let base = "/api/v1/workspaces/\(ana.workspaceID)/channels"
                let id = try #require(try await app.api(.POST, base, as: ana, json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token"}"#).json()["id"] as? String)
                let calls = fake.server.requests.count

                let changed = try await app.api(.PATCH, "\(base)/\(id)", as: ana, json: #"{"timezone": "America/Chicago"}"#)
                #expect(changed.status == .ok)
                #expect(try changed.json()["timezone"] as? String == "America/Chicago")
                #expect(try changed.json()["name"] as? String == "Corner Bakery", "a field left out stays")

                let bad = try await app.api(.PATCH, "\(base)/\(id)", as: ana, json: #"{"name": " ", "timezone": "Chicago"}"#)
                #expect(bad.status == .unprocessableEntity)
                #expect(Set(try bad.apiError().fields.keys) == ["name", "timezone"])
                #expect(try await App.Channel.find(UUID(uuidString: id), on: app.db)?.timezone == "America/Chicago", "nothing changed")

                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                try await browser.get("/workspaces/\(ana.workspaceID)/channels")
                let saved = try await browser.post("/workspaces/\(ana.workspaceID)/channels/\(id)", ["name": "Shop news", "timezone": "Europe/Lisbon"])
                #expect(saved.status == .seeOther)
                let page = try await browser.get("/workspaces/\(ana.workspaceID)/channels").text
                #expect(page.contains("Shop news"))
                #expect(page.contains("posting times in Europe/Lisbon"))
                #expect(fake.server.requests.count == calls, "no call to the network")

                // Connecting the account again (a new token) keeps the workspace's name for it.
                let again = try await app.api(.POST, base, as: ana, json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token"}"#)
                #expect(again.status == .ok)
                #expect(try again.json()["name"] as? String == "Shop news")
            }
        }
    }
}

@Suite struct ReconnectGateTests {
    @Test(arguments: TestDatabase.all)
    func nothingIsScheduledToAChannelThatNeedsReconnecting(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let id = try #require(try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana,
                                                         json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token"}"#).json()["id"] as? String)
                fake.controls.revoke("good-token")
                _ = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(id)/check", as: ana)

                let scheduled = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana,
                                                   json: #"{"text": "Fresh bread", "channels": ["\#(id)"], "schedule": {"now": true}}"#)
                #expect(scheduled.status == .unprocessableEntity)
                #expect(try scheduled.apiError().fields["schedule"]?.hasPrefix("@bakery@bakery.example: Trestle can no longer post here") == true)

                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let composer = try await browser.get("/workspaces/\(ana.workspaceID)/compose").text
                #expect(composer.contains(#"data-reconnect="true""#))
                #expect(composer.contains("needs reconnecting"))
            }
        }
    }
}
