@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Connecting accounts: the network checks the credentials (through a loopback fake of its
/// documented API), the channel keeps the instance's own limits, and the token stays secret.
@Suite struct ChannelTests {
    private func connectMastodon(_ app: Application, _ member: Member, _ fake: FakeMastodon, token: String = "good-token", timezone: String? = "Europe/Berlin") async throws -> TestingHTTPResponse {
        let zone = timezone.map { #", "timezone": "\#($0)""# } ?? ""
        return try await app.api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member,
                                 json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "\#(token)"\#(zone)}"#)
    }

    @Test(arguments: TestDatabase.all)
    func aMastodonAccountConnectsWithItsInstancesOwnLimits(_ database: TestDatabase) async throws {
        try await FakeMastodon.with(.init(maxCharacters: 1_000, charactersReservedPerURL: 30)) { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let response = try await connectMastodon(app, ana, fake)
                #expect(response.status == .created, "\(response.text)")
                let channel = try response.json()
                #expect(channel["network"] as? String == "mastodon")
                #expect(channel["name"] as? String == "Corner Bakery")
                #expect(channel["handle"] as? String == "@bakery@bakery.example", "the handle uses the instance's domain")
                #expect(channel["status"] as? String == "active")
                #expect(channel["timezone"] as? String == "Europe/Berlin")
                let limits = try #require(channel["limits"] as? [String: Any])
                #expect(limits["maxCharacters"] as? Int == 1_000)
                #expect(limits["charactersReservedPerURL"] as? Int == 30)
                #expect(!response.text.contains("good-token"), "the API never returns a token")
                #expect(fake.server.requests.contains { $0.path == "/api/v1/accounts/verify_credentials" && $0.authorization == "Bearer good-token" })

                let list = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
                #expect(list.map { $0["id"] as? String } == [channel["id"] as? String])
                #expect(!(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).text.contains("good-token")))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAccessTokenIsEncryptedAtRest(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                #expect(try await connectMastodon(app, ana, fake).status == .created)
                let rows = try await (app.db as! any SQLDatabase).raw("SELECT * FROM channels").all()
                let sealed = try #require(rows.first).decode(column: "sealed_credentials", as: Data.self)
                #expect(sealed.range(of: Data("good-token".utf8)) == nil, "the token is not stored in the clear")
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                let service = app.wiring.channels(on: app.db)
                #expect(try service.credentials(of: channel).accessToken == "good-token")
                // Moved onto another row, or opened with another key, the sealed value does not open.
                #expect(throws: CredentialSealerError.self) { try CredentialSealer(secretKey: app.settings.secretKey).open(sealed, for: UUID()) }
                #expect(throws: CredentialSealerError.self) { try CredentialSealer(secretKey: SymmetricKey(size: .bits256)).open(sealed, for: channel.requireID()) }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func connectingTheSameAccountAgainRefreshesItsChannel(_ database: TestDatabase) async throws {
        let fake = try await FakeMastodon.start(.init(accounts: [
            "good-token": .init(id: "1", username: "bakery", displayName: "Corner Bakery"),
            "new-token": .init(id: "1", username: "bakery", displayName: "Corner Bakery & Café"),
        ]))
        defer { Task { try await fake.stop() } }
        try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
            let ana = try await app.makeMember("ana@example.com")
            let first = try await connectMastodon(app, ana, fake).json()
            let again = try await connectMastodon(app, ana, fake, token: "new-token", timezone: nil)
            #expect(again.status == .ok)
            #expect(try again.json()["id"] as? String == first["id"] as? String)
            #expect(try again.json()["name"] as? String == "Corner Bakery & Café")
            #expect(try again.json()["timezone"] as? String == "Europe/Berlin", "a left-out zone keeps the one set")
            #expect(try await App.Channel.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anInstanceBeforeMastodon4GivesItsLimitsThroughTheOldEndpoint(_ database: TestDatabase) async throws {
        try await FakeMastodon.with(.init(maxCharacters: 5_000, hasInstanceV2: false)) { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let response = try await connectMastodon(app, ana, fake)
                #expect(response.status == .created)
                #expect((try response.json()["limits"] as? [String: Any])?["maxCharacters"] as? Int == 5_000)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedTokenIsAFieldErrorAndNothingIsStored(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let response = try await connectMastodon(app, ana, fake, token: "revoked")
                #expect(response.status == .unprocessableEntity)
                let error = try response.apiError()
                #expect(error.code == "invalid_fields")
                #expect(error.fields["accessToken"]?.contains("refused the access token") == true, "\(error.fields)")
                #expect(try await App.Channel.query(on: app.db).count() == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRateLimitedInstanceSaysWhenToTryAgain(_ database: TestDatabase) async throws {
        try await FakeMastodon.with(.init(rateLimited: true)) { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let response = try await connectMastodon(app, ana, fake)
                #expect(response.status == .serviceUnavailable)
                #expect(try response.apiError().code == "network_rate_limited")
                let wait = try #require(response.headers.first(name: "Retry-After").flatMap(Int.init))
                #expect((100...121).contains(wait), "from X-RateLimit-Reset, two minutes ahead: \(wait)")
                #expect(try await App.Channel.query(on: app.db).count() == 0)
            }
        }
    }

    @Test func aPrivateAddressIsRefusedUnlessTheOperatorAllowsIt() async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(.sqlite) { app in
                let ana = try await app.makeMember("ana@example.com")
                for address in [fake.url, "http://localhost:1", "http://169.254.169.254", "http://[::1]:8080", "http://10.0.0.8"] {
                    let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana,
                                                      json: #"{"network": "mastodon", "instanceURL": "\#(address)", "accessToken": "good-token"}"#)
                    #expect(response.status == .unprocessableEntity, "\(address)")
                    #expect(try response.apiError().fields["instanceURL"]?.contains("private or local address") == true, "\(address): \(response.text)")
                }
                #expect(fake.server.requests.isEmpty, "nothing was sent to the refused address")
                #expect(try await App.Channel.query(on: app.db).count() == 0)
            }
        }
    }

    @Test func anInstanceNamedByHostIsCalledAtTheAddressThatWasChecked() async throws {
        try await FakeMastodon.with { fake in
            // localhost resolves to loopback addresses: allowed here, so the name is resolved,
            // checked, and the connection made to the checked address.
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.0/8", "::1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let named = fake.url.replacingOccurrences(of: "127.0.0.1", with: "localhost")
                let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana,
                                                  json: #"{"network": "mastodon", "instanceURL": "\#(named)", "accessToken": "good-token"}"#)
                #expect(response.status == .created, "\(response.text)")
                #expect(try response.json()["server"] as? String == named)
            }
        }
    }

    @Test func anInstanceThatHangsUpIsABadGatewayNotACrash() async throws {
        let server = try HangUpServer()
        defer { server.stop() }
        try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
            let ana = try await app.makeMember("ana@example.com")
            let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana,
                                              json: #"{"network": "mastodon", "instanceURL": "http://127.0.0.1:\#(server.port)", "accessToken": "t"}"#)
            #expect(response.status == .badGateway)
            #expect(try response.apiError().code == "network_unreachable")
            #expect(try response.apiError().message.contains("could not be reached"))
        }
    }

    @Test func anInstanceThatRefusesConnectionsIsABadGatewayAtOnce() async throws {
        // Held for the whole test, so no other test's server can take the port meanwhile.
        let server = try ClosedPort()
        try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
            let ana = try await app.makeMember("ana@example.com")
            let started = ContinuousClock.now
            let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana,
                                              json: #"{"network": "mastodon", "instanceURL": "http://127.0.0.1:\#(server.port)", "accessToken": "t"}"#)
            #expect(response.status == .badGateway)
            #expect(try response.apiError().message.contains("connection refused"))
            #expect(ContinuousClock.now - started < .seconds(5), "answered at once, not after the 10 s connect timeout")
            withExtendedLifetime(server) {}
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBlueskyAccountConnectsWithAnAppPassword(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let path = "/api/v1/workspaces/\(ana.workspaceID)/channels"
                let wrong = try await app.api(.POST, path, as: ana, json: #"{"network": "bluesky", "service": "\#(fake.url)", "identifier": "bakery.bsky.social", "appPassword": "nope"}"#)
                #expect(wrong.status == .unprocessableEntity)
                #expect(try wrong.apiError().fields["appPassword"]?.contains("refused the handle or app password") == true)

                let response = try await app.api(.POST, path, as: ana, json: #"{"network": "bluesky", "service": "\#(fake.url)", "identifier": "@bakery.bsky.social", "appPassword": "abcd-efgh-ijkl-mnop"}"#)
                #expect(response.status == .created, "\(response.text)")
                let channel = try response.json()
                #expect(channel["name"] as? String == "Corner Bakery")
                #expect(channel["handle"] as? String == "bakery.bsky.social")
                #expect(channel["timezone"] as? String == "UTC")
                #expect((channel["limits"] as? [String: Any])?["maxCharacters"] as? Int == 300)
                #expect(!response.text.contains("abcd-efgh"))
                let stored = try #require(try await App.Channel.query(on: app.db).first())
                #expect(stored.remoteID == "did:plc:ewvi7nxzyoun6zhxrhs64oiz")
                let credentials = try app.channelService(app.db).credentials(of: stored)
                #expect(credentials.appPassword == "abcd-efgh-ijkl-mnop")
                #expect(credentials.refreshJwt == "refresh-did:plc:ewvi7nxzyoun6zhxrhs64oiz")
            }
        }
    }

    @Test func anAccountThatWantsAnEmailedCodeIsToldToUseAnAppPassword() async throws {
        var account = FakeBluesky.bakery
        account.needsEmailCode = true
        try await FakeBluesky.with(accounts: [account]) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana,
                                                  json: #"{"network": "bluesky", "service": "\#(fake.url)", "identifier": "bakery.bsky.social", "appPassword": "abcd-efgh-ijkl-mnop"}"#)
                #expect(response.status == .unprocessableEntity)
                #expect(try response.apiError().fields["appPassword"]?.contains("Use an app password") == true)
            }
        }
    }

    @Test func incompleteOrUnofferedConnectionsSayWhatIsMissing() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let path = "/api/v1/workspaces/\(ana.workspaceID)/channels"
            let empty = try await app.api(.POST, path, as: ana, json: #"{"network": "mastodon"}"#)
            #expect(empty.status == .unprocessableEntity)
            #expect(Set(try empty.apiError().fields.keys) == ["instanceURL", "accessToken"])
            let x = try await app.api(.POST, path, as: ana, json: #"{"network": "x"}"#)
            #expect(try x.apiError().fields["network"]?.contains("connect by signing in to X: use Connect on the Channels page") == true)
            let linkedin = try await app.api(.POST, path, as: ana, json: #"{"network": "linkedin"}"#)
            #expect(try linkedin.apiError().fields["network"]?.contains("connect by signing in to LinkedIn: use Connect on the Channels page") == true)
            // A network the registry lacks is named as not connected yet.
            let registered = app.wiring.connectors
            app.wiring.connectors = Connectors(registered.all.filter { $0.network != .linkedin })
            let missing = try await app.api(.POST, path, as: ana, json: #"{"network": "linkedin"}"#)
            #expect(try missing.apiError().fields["network"] == "Trestle does not connect LinkedIn accounts yet.")
            app.wiring.connectors = registered
            let unknown = try await app.api(.POST, path, as: ana, json: #"{"network": "myspace"}"#)
            #expect(try unknown.apiError().fields["network"]?.contains("Unknown network") == true)
            let zone = try await app.api(.POST, path, as: ana, json: #"{"network": "mastodon", "instanceURL": "a.example", "accessToken": "t", "timezone": "Mars/Olympus"}"#)
            #expect(try zone.apiError().fields["timezone"]?.contains("not a time zone") == true)
            let token = try await app.api(.POST, path, as: ana, json: #"{"network": "mastodon", "instanceURL": "a.example", "accessToken": "t", "password": "x"}"#)
            #expect(try token.apiError().code == "unknown_fields")
            // A field another network takes is named as not this network's.
            let foreign = try await app.api(.POST, path, as: ana, json: #"{"network": "mastodon", "instanceURL": "a.example", "accessToken": "t", "appPassword": "x"}"#)
            #expect(foreign.status == .unprocessableEntity)
            #expect(try foreign.apiError().fields["appPassword"]?.contains("Mastodon takes only") == true)
            let notText = try await app.api(.POST, path, as: ana, json: #"{"network": "mastodon", "instanceURL": 7, "accessToken": "t"}"#)
            #expect(try notText.apiError().fields["instanceURL"] == "Must be text.")
            #expect(try await App.Channel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDisconnectedChannelIsGoneAndItsPostsKeepTheirText(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channelID = try #require(try await connectMastodon(app, ana, fake).json()["id"] as? String)
                let base = "/api/v1/workspaces/\(ana.workspaceID)"
                let post = try await app.api(.POST, "\(base)/posts", as: ana, json: #"{"text": "Fresh bread", "channels": ["\#(channelID)"], "variants": {"\#(channelID)": {"text": "Bread!"}, "x": {"text": "Bread on X"}}}"#)
                #expect(try post.json()["channels"] as? [String] == [channelID])
                #expect(try await app.api(.DELETE, "\(base)/channels/\(channelID)", as: ana).status == .noContent)
                #expect(try await app.api(.GET, "\(base)/channels/\(channelID)", as: ana).status == .notFound)
                let postID = try #require(try post.json()["id"] as? String)
                let after = try await app.api(.GET, "\(base)/posts/\(postID)", as: ana).json()
                #expect(after["text"] as? String == "Fresh bread")
                #expect(after["channels"] as? [String] == [])
                #expect(after["variants"] as? [String: String] == ["x": "Bread on X"], "the channel's own text went with it")
                // The draft stays editable without naming its variants again.
                let edited = try await app.api(.PATCH, "\(base)/posts/\(postID)", as: ana, json: #"{"text": "Fresh rye"}"#)
                #expect(edited.status == .ok, "\(edited.text)")
            }
        }
    }
}

extension Application {
    func channelService(_ db: any Database) -> ChannelService {
        wiring.channels(on: db)
    }

    /// A Mastodon channel stored as connecting would store it, without asking any network: for
    /// tests about what happens to a channel afterwards.
    func storeMastodonChannel(for member: Member, server: String) async throws -> App.Channel {
        let channel = App.Channel(
            id: UUID(), workspaceID: try member.workspace.requireID(), network: .mastodon, name: "Bakery", handle: "@bakery@bakery.example",
            remoteID: "1", serverURL: server, timezone: "UTC"
        )
        channel.sealedCredentials = try CredentialSealer(secretKey: settings.secretKey).seal(NetworkCredentials(accessToken: "stored-token"), for: channel.requireID())
        try await channel.create(on: db)
        return channel
    }
}

@Suite struct ChannelNameTests {
    @Test func aChannelCanBeNamedByTheWorkspaceInsteadOfTheAccount() async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let path = "/api/v1/workspaces/\(ana.workspaceID)/channels"
                let long = try await app.api(.POST, path, as: ana, json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token", "name": "\#(String(repeating: "n", count: 81))"}"#)
                #expect(try long.apiError().fields["name"] != nil)
                #expect(fake.server.requests.isEmpty, "the network is not asked when the form is wrong")
                let named = try await app.api(.POST, path, as: ana, json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token", "name": "Shop news"}"#)
                #expect(try named.json()["name"] as? String == "Shop news")
            }
        }
    }
}

@Suite struct ChannelPageTests {
    @Test func anUnreachableInstanceIsSaidOnTheFormWhichKeepsTheAddressButNotTheToken() async throws {
        let server = try HangUpServer()
        defer { server.stop() }
        try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            try await browser.get("/workspaces/\(ana.workspaceID)/channels")
            let address = "http://127.0.0.1:\(server.port)"
            let response = try await browser.post("/workspaces/\(ana.workspaceID)/channels", [
                "network": "mastodon", "instanceURL": address, "accessToken": "secret-token-123", "timezone": "Europe/Vienna",
            ])
            #expect(response.status == .badGateway)
            #expect(response.text.contains("could not be reached"))
            #expect(response.text.contains(#"value="\#(address)""#))
            #expect(response.text.contains(#"value="Europe/Vienna""#))
            #expect(!response.text.contains("secret-token-123"), "a secret is never sent back into a form")
            #expect(try await App.Channel.query(on: app.db).count() == 0)
        }
    }
}
