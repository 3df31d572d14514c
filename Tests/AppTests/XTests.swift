@testable import App
import Foundation
import Networks
import SQLKit
import Testing
import Vapor
import VaporTesting

/// X through its connector, against a loopback fake that follows X's documented API: signing
/// in with OAuth 2 and PKCE, renewing two-hour tokens with single-use refresh tokens one at a
/// time, publishing text, media and threads exactly once, X's failures as the publisher's
/// outcomes, mentions in the inbox and public counts.
@Suite struct XTests {
    private func channelID(_ app: Application, _ member: Member) async throws -> String {
        let channels = try await app.api(.GET, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member).jsonArray()
        return try #require(channels.first { $0["network"] as? String == "x" }?["id"] as? String)
    }

    private func connectX(_ app: Application, _ fake: FakeX, _ member: Member) async throws -> String {
        app.useFakeX(fake)
        let browser = Browser(app)
        try await browser.logIn(member.user.email, "correct horse 1")
        let (_, callback) = try await app.signInAtX(browser, member)
        #expect(callback.status == .seeOther, "\(callback.body.string.prefix(1_000))")
        return try await channelID(app, member)
    }

    @Test func anOperatorWithoutAnXAppIsNamedAndTheSignInConnectsWithPKCE() async throws {
        try await FakeX.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                app.wiring.connectors = app.wiring.connectors.adding(XConnector(http: app.networkHTTP, provider: fake.provider))

                // Not configured: said on the card, with where the README says how.
                var page = try await browser.get("/workspaces/\(ana.workspaceID)/channels").body.string
                #expect(page.contains(#"id="x-not-configured""#))
                #expect(page.contains("TRESTLE_X_CLIENT_ID and TRESTLE_X_CLIENT_SECRET"))
                #expect(page.contains(#"href="/readme#registering-an-app-with-x""#))
                let refused = try await browser.post("/workspaces/\(ana.workspaceID)/channels/sign-in/x", ["timezone": "UTC"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("X is not configured by your operator"))

                app.useFakeX(fake)
                page = try await browser.get("/workspaces/\(ana.workspaceID)/channels").body.string
                #expect(page.contains("Connect with X") && !page.contains(#"id="x-not-configured""#))
                let (authorize, callback) = try await app.signInAtX(browser, ana)
                #expect(callback.status == .seeOther)
                let query = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
                #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
                #expect(query["redirect_uri"]?.hasSuffix("/oauth/x/callback") == true)
                #expect(Set((query["scope"] ?? "").split(separator: " ")) == ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"])
                #expect(fake.controls.grants.withLock { $0 } == ["authorization_code"])

                let channels = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
                #expect(channels.map { $0["handle"] as? String } == ["@cornerbakery"])
                #expect(channels.first?["timezone"] as? String == "Europe/Paris")
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                let credentials = try app.wiring.channels(on: app.db).credentials(of: channel)
                #expect(credentials.refreshToken == "x-refresh-1" && credentials.accessToken == "x-access-1")
                #expect(credentials.expiresAt.map { abs($0.timeIntervalSinceNow - 7_200) < 60 } == true)

                // The callback used up the sign-in: the same answer again is refused.
                let again = try await browser.get("/oauth/x/callback?code=whatever&state=\(query["state"] ?? "")")
                #expect(again.status == .badRequest)
            }
        }
    }

    @Test func aCodeForAnotherVerifierOrRedirectConnectsNothing() async throws {
        try await FakeX.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                app.useFakeX(fake)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                // A code X gave for someone else's challenge: Trestle's verifier does not match it.
                let stolen = try await app.signInAtX(browser, ana) { authorize in
                    authorize.queryItems = authorize.queryItems?.map { $0.name == "code_challenge" ? URLQueryItem(name: $0.name, value: PKCEChallenge.of("someone-elses-verifier")) : $0 }
                }.callback
                #expect(stolen.status == .unprocessableEntity)
                #expect(stolen.body.string.contains("X refused the sign-in"), "\(stolen.body.string.prefix(500))")
                // A code given for another redirect address is refused as well.
                let redirected = try await app.signInAtX(browser, ana) { authorize in
                    authorize.queryItems = authorize.queryItems?.map { $0.name == "redirect_uri" ? URLQueryItem(name: $0.name, value: $0.value! + "?next=/evil") : $0 }
                }.callback
                #expect(redirected.status == .unprocessableEntity)
                #expect(try await App.Channel.query(on: app.db).count() == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokensAreRenewedOnceAtATimeAndASpentRefreshTokenIsRefused(_ database: TestDatabase) async throws {
        try await FakeX.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                _ = try await connectX(app, fake, ana)
                let channels = app.wiring.channels(on: app.db)
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                #expect(try await channels.account(of: channel).credentials.accessToken == "x-access-1", "fresh: used as it is")

                clock.advance(by: 7_000)  // within five minutes of the two hours
                async let first = app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                async let second = app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                let (one, two) = try await (first, second)
                #expect(one.credentials.accessToken == "x-access-2" && two.credentials.accessToken == "x-access-2")
                #expect(fake.controls.grants.withLock { $0 } == ["authorization_code", "refresh_token"], "one refresh for both")
                let stored = try channels.credentials(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                #expect(stored.refreshToken == "x-refresh-2" && stored.accessToken == "x-access-2")

                // The first refresh token was spent by its use: X refuses it.
                let tokens = OAuthTokenClient(http: app.networkHTTP, provider: fake.provider, app: try #require(app.wiring.oauthApps["X"]), networkName: "X")
                await #expect(throws: NetworkError.unauthorized("X refused the sign-in (Value passed for the token was invalid.). Connect the account again.")) {
                    try await tokens.refreshed("x-refresh-1")
                }

                // The daily check renews an ended token before asking X, rather than calling the
                // account lost.
                fake.controls.accessTokens.withLock { $0.removeAll() }
                clock.advance(by: 7_000)
                let checked = try await channels.check(try #require(try await App.Channel.find(channel.id, on: app.db)))
                #expect(checked.status == .active, "\(checked.problem ?? "")")
                #expect(fake.controls.grants.withLock { $0.last } == "refresh_token")

                // Revoked at X: the channel asks to be connected again, with X's words.
                fake.controls.refreshTokens.withLock { $0.removeAll() }
                clock.advance(by: 7_000)
                await #expect(throws: NetworkError.self) {
                    try await channels.account(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                }
                let refused = try #require(try await App.Channel.find(channel.id, on: app.db))
                #expect(refused.status == .needsReconnect)
                #expect(refused.problem?.contains("X refused the sign-in") == true)
            }
        }
    }
}
