@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Connecting Mastodon by signing in on the instance (OAuth 2 with PKCE), through the web UI,
/// against the loopback fake: the person's approval is played by the test.
@Suite struct MastodonSignInTests {
    /// The instance's authorize URL from the page Trestle shows on the way there.
    private func authorizeURL(in page: String) throws -> URLComponents {
        let marker = #"id="continue" href=""#
        let start = try #require(page.range(of: marker)).upperBound
        let raw = String(page[start...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
        return try #require(URLComponents(string: raw))
    }

    private func query(_ url: URLComponents, _ name: String) -> String? {
        url.queryItems?.first { $0.name == name }?.value
    }

    private func startSignIn(_ browser: Browser, _ member: Member, _ fake: FakeMastodon) async throws -> URLComponents {
        try await browser.get("/workspaces/\(member.workspaceID)/channels")
        let page = try await browser.post("/workspaces/\(member.workspaceID)/channels/mastodon/sign-in", ["instanceURL": fake.url, "timezone": "Europe/Paris"])
        #expect(page.status == .ok, "\(page.text)")
        #expect(page.text.contains(#"<meta http-equiv="refresh""#))
        return try authorizeURL(in: page.text)
    }

    @Test(arguments: TestDatabase.all)
    func signingInOnTheInstanceConnectsTheAccount(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let authorize = try await startSignIn(browser, ana, fake)
                #expect(authorize.path == "/oauth/authorize")
                #expect(query(authorize, "client_id") == FakeMastodon.clientID)
                #expect(query(authorize, "response_type") == "code")
                #expect(query(authorize, "scope") == "read write")
                #expect(query(authorize, "code_challenge_method") == "S256")
                let redirect = try #require(query(authorize, "redirect_uri"))
                #expect(redirect.hasSuffix("/oauth/mastodon/callback"))
                let state = try #require(query(authorize, "state"))
                let challenge = try #require(query(authorize, "code_challenge"))

                // The person allows Trestle; the instance sends them back with a code.
                let back = try await browser.get("/oauth/mastodon/callback?\(queryString(["code": "code-\(challenge)", "state": state]))")
                #expect(back.status == .seeOther, "\(back.text)")
                #expect(back.location == "/workspaces/\(ana.workspaceID)/channels")
                let channel = try #require(try await App.Channel.query(on: app.db).first())
                #expect(channel.handle == "@bakery@bakery.example")
                #expect(channel.timezone == "Europe/Paris")
                #expect(try app.channelService(app.db).credentials(of: channel).accessToken == "good-token")
                #expect(fake.server.requests.contains { $0.path == "/oauth/token" && $0.body.contains("grant_type=authorization_code") && $0.body.contains("code_verifier=") }, "RFC 6749: a form-encoded token request")

                // The answer works once; a second sign-in reuses Trestle's registration on the instance.
                let replay = try await browser.get("/oauth/mastodon/callback?\(queryString(["code": "code-\(challenge)", "state": state]))")
                #expect(replay.status == .badRequest)
                _ = try await startSignIn(browser, ana, fake)
                #expect(fake.server.requests.filter { $0.path == "/api/v1/apps" }.count == 1)
                let registration = try #require(try await MastodonApplication.query(on: app.db).first())
                #expect(registration.sealedCredentials.range(of: Data(FakeMastodon.clientSecret.utf8)) == nil, "the client secret is sealed")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func forgedRefusedOrMismatchedAnswersConnectNothing(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)

                // A state Trestle did not issue is refused, and cannot cancel the sign-in under way.
                var authorize = try await startSignIn(browser, ana, fake)
                var challenge = try #require(query(authorize, "code_challenge"))
                let forged = try await browser.get("/oauth/mastodon/callback?\(queryString(["code": "code-\(challenge)", "state": "forged"]))")
                #expect(forged.status == .badRequest)
                #expect(try await App.Channel.query(on: app.db).count() == 0)
                let real = try await browser.get("/oauth/mastodon/callback?\(queryString(["code": "code-\(challenge)", "state": try #require(query(authorize, "state"))]))")
                #expect(real.status == .seeOther)
                try await App.Channel.query(on: app.db).delete()

                // The person says no on their instance.
                authorize = try await startSignIn(browser, ana, fake)
                let denied = try await browser.get("/oauth/mastodon/callback?\(queryString(["error": "access_denied", "error_description": "The resource owner or authorization server denied the request.", "state": try #require(query(authorize, "state"))]))")
                #expect(denied.status == .unprocessableEntity)
                #expect(denied.text.contains("You did not allow Trestle on 127.0.0.1"))

                // A code issued for another challenge (a stolen code): the instance refuses the verifier.
                authorize = try await startSignIn(browser, ana, fake)
                challenge = "someone-elses-challenge"
                let stolen = try await browser.get("/oauth/mastodon/callback?\(queryString(["code": "code-\(challenge)", "state": try #require(query(authorize, "state"))]))")
                #expect(stolen.status == .unprocessableEntity)
                #expect(stolen.text.contains("did not accept the sign-in"))

                // Without a sign-in under way there is nothing to finish.
                let stray = try await Browser(app).get("/oauth/mastodon/callback?code=x&state=y")
                #expect(stray.status == .seeOther, "not signed in: to the login page")
                #expect(try await App.Channel.query(on: app.db).count() == 0)
            }
        }
    }

    @Test func aPrivateInstanceIsRefusedBeforeAnyoneLeavesTrestle() async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(.sqlite) { app in
                let ana = try await app.makeMember("ana@example.com")
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                try await browser.get("/workspaces/\(ana.workspaceID)/channels")
                let page = try await browser.post("/workspaces/\(ana.workspaceID)/channels/mastodon/sign-in", ["instanceURL": fake.url])
                #expect(page.status == .unprocessableEntity)
                #expect(page.text.contains("private or local address"))
                #expect(fake.server.requests.isEmpty)
            }
        }
    }
}
