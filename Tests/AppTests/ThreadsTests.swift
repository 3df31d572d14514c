@testable import App
import Foundation
import Networks
import Testing
import Vapor
import VaporTesting

/// Signing in to Threads against its loopback fake: OAuth at the operator's Meta app (scopes
/// joined with commas, the PKCE challenge sent), the hour-long token traded at once for one of
/// sixty days, renewed in its last week by one caller at a time, and a token Threads no longer
/// takes asking for the account to be connected again.
@Suite struct ThreadsTests {
    @Test func theSignInKeepsALongLivedTokenAndAStolenCodeConnectsNothing() async throws {
        try await FakeThreads.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                app.wiring.connectors = app.wiring.connectors.adding(ThreadsConnector(http: app.networkHTTP, provider: fake.provider))

                // Not configured: said on the card, with where the README says how.
                var page = try await browser.get("/workspaces/\(ana.workspaceID)/channels").body.string
                #expect(page.contains(#"id="threads-not-configured""#))
                #expect(page.contains("TRESTLE_THREADS_CLIENT_ID and TRESTLE_THREADS_CLIENT_SECRET"))
                #expect(page.contains(#"href="/readme#registering-an-app-with-threads""#))

                app.useFakeThreads(fake)
                page = try await browser.get("/workspaces/\(ana.workspaceID)/channels").body.string
                #expect(page.contains("Connect with Threads") && !page.contains(#"id="threads-not-configured""#))

                // A code Threads gave for someone else's challenge: Trestle's verifier does not match it.
                let stolen = try await app.signIn(at: .threads, browser, ana) { authorize in
                    authorize.queryItems = authorize.queryItems?.map { $0.name == "code_challenge" ? URLQueryItem(name: $0.name, value: PKCEChallenge.of("someone-elses-verifier")) : $0 }
                }.callback
                #expect(stolen.status == .unprocessableEntity)
                #expect(stolen.body.string.contains("Threads refused the sign-in (Matching code was not found or was already used)"), "\(stolen.body.string.prefix(500))")
                #expect(try await App.Channel.query(on: app.db).count() == 0)

                let (authorize, callback) = try await app.signIn(at: .threads, browser, ana)
                #expect(callback.status == .seeOther, "\(callback.body.string.prefix(1_000))")
                let query = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
                #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
                #expect(query["redirect_uri"]?.hasSuffix("/oauth/threads/callback") == true)
                #expect(query["scope"] == "threads_basic,threads_content_publish,threads_read_replies,threads_manage_replies,threads_manage_insights,threads_delete",
                        "Meta's scopes are joined with commas")
                #expect(fake.controls.grants.withLock { $0 }.suffix(2) == ["authorization_code", "th_exchange_token"], "the hour-long token traded at once")
                #expect(fake.server.requests.filter { $0.path == "/v1.0/me" }.count == 1, "the account is asked for once, not again to save it")

                let channels = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/channels", as: ana).jsonArray()
                #expect(channels.map { $0["handle"] as? String } == ["@cornerbakery"])
                #expect(channels.first?["network"] as? String == "threads")
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                let credentials = try app.wiring.channels(on: app.db).credentials(of: channel)
                #expect(credentials.accessToken?.hasPrefix("th-long-") == true, "\(credentials.accessToken ?? "")")
                #expect(credentials.expiresAt.map { abs($0.timeIntervalSinceNow - 60 * 86_400) < 120 } == true, "sixty days")
                #expect(credentials.refreshToken == nil)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLongLivedTokenIsRenewedInItsLastWeekOnceAndAnEndedOneAsksToConnectAgain(_ database: TestDatabase) async throws {
        try await FakeThreads.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                app.useFakeThreads(fake)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", "correct horse 1")
                #expect(try await app.signIn(at: .threads, browser, ana).callback.status == .seeOther)
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                let channels = app.wiring.channels(on: app.db)
                let first = try #require(try channels.credentials(of: channel).accessToken)

                clock.advance(by: 40 * 86_400)
                #expect(try await channels.account(of: channel).credentials.accessToken == first, "forty days in: used as it is")
                #expect(!fake.controls.grants.withLock { $0 }.contains("th_refresh_token"))

                clock.advance(by: 14 * 86_400)  // six days left
                async let one = app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                async let two = app.wiring.channels(on: app.db).account(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                let (a, b) = try await (one, two)
                #expect(a.credentials.accessToken == b.credentials.accessToken && a.credentials.accessToken != first)
                #expect(fake.controls.grants.withLock { $0 }.filter { $0 == "th_refresh_token" }.count == 1, "one renewal for both")
                let stored = try channels.credentials(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                #expect(stored.accessToken == a.credentials.accessToken)
                #expect(stored.expiresAt.map { abs($0.timeIntervalSince(clock.now()) - 60 * 86_400) < 120 } == true, "sixty days from the renewal")

                // Ended at Threads (sixty days without a renewal, or the person removed the app):
                // the channel asks to be connected again, with Threads' words.
                fake.expireTokens()
                clock.advance(by: 55 * 86_400)
                await #expect(throws: NetworkError.self) {
                    try await channels.account(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                }
                let refused = try #require(try await App.Channel.find(channel.id, on: app.db))
                #expect(refused.status == .needsReconnect)
                #expect(refused.problem?.contains("Threads refused the access token") == true, "\(refused.problem ?? "")")
            }
        }
    }
}
