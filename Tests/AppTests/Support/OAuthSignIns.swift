@testable import App
import AsyncHTTPClient
import Foundation
import Networks
import Testing
import TextRules
import Vapor
import VaporTesting

extension Application {
    /// Points the X connector at the fake and registers the operator's app with it.
    func useFakeX(_ fake: FakeX) {
        wiring.oauthApps["X"] = OAuthApp(clientID: FakeX.clientID, clientSecret: FakeX.clientSecret)
        wiring.connectors = wiring.connectors.adding(XConnector(http: networkHTTP, provider: fake.provider))
    }

    /// Points the Threads connector at the fake, its readiness checked every few milliseconds,
    /// and registers the operator's app with it.
    func useFakeThreads(_ fake: FakeThreads) {
        wiring.oauthApps["THREADS"] = OAuthApp(clientID: FakeThreads.clientID, clientSecret: FakeThreads.clientSecret)
        wiring.connectors = wiring.connectors.adding(ThreadsConnector(http: networkHTTP, provider: fake.provider, readyCheck: (.milliseconds(5), 10)))
    }

    /// Points the Instagram connector at the fake, its readiness checked every few
    /// milliseconds, and registers the operator's app with it.
    func useFakeInstagram(_ fake: FakeInstagram) {
        wiring.oauthApps["INSTAGRAM"] = OAuthApp(clientID: FakeInstagram.clientID, clientSecret: FakeInstagram.clientSecret)
        wiring.connectors = wiring.connectors.adding(InstagramConnector(http: networkHTTP, provider: fake.provider, readyCheck: (.milliseconds(5), 10)))
    }

    /// Points the Facebook connector at the fake and registers the operator's app with it.
    func useFakeFacebook(_ fake: FakeFacebook) {
        wiring.oauthApps["FACEBOOK"] = OAuthApp(clientID: FakeFacebook.clientID, clientSecret: FakeFacebook.clientSecret)
        wiring.connectors = wiring.connectors.adding(FacebookConnector(http: networkHTTP, provider: fake.provider))
    }

    /// Points the LinkedIn connector at the fake, a video's processing checked every few
    /// milliseconds, and registers the operator's app with it.
    func useFakeLinkedIn(_ fake: FakeLinkedIn) {
        wiring.oauthApps["LINKEDIN"] = OAuthApp(clientID: FakeLinkedIn.clientID, clientSecret: FakeLinkedIn.clientSecret)
        wiring.connectors = wiring.connectors.adding(LinkedInConnector(http: networkHTTP, provider: fake.provider, readyCheck: (.milliseconds(5), 10)))
    }

    func signInAtX(_ browser: Browser, _ member: Member, changing: ((inout URLComponents) -> Void)? = nil) async throws
        -> (authorize: URLComponents, callback: TestingHTTPResponse)
    {
        try await signIn(at: .x, browser, member, changing: changing)
    }

    /// Signs in at a fake network from the Channels page as a person would: Connect with it, the
    /// network's page, back to the callback. `changing` alters the authorize address before it
    /// is followed (another challenge, another redirect). Returns the authorize address and
    /// the callback's answer.
    func signIn(at network: TextRules.Network, _ browser: Browser, _ member: Member, changing: ((inout URLComponents) -> Void)? = nil) async throws
        -> (authorize: URLComponents, callback: TestingHTTPResponse)
    {
        try await browser.get("/workspaces/\(member.workspaceID)/channels")
        let started = try await browser.post("/workspaces/\(member.workspaceID)/channels/sign-in/\(network.rawValue)", ["timezone": "Europe/Paris"])
        let page = started.body.string
        let href = try #require(page.firstMatch(of: /id="continue" href="([^"]+)"/)?.1, "\(started.status) \(page.prefix(2_000))")
        var authorize = try #require(URLComponents(string: String(href).replacingOccurrences(of: "&amp;", with: "&")))
        let sent = authorize
        changing?(&authorize)
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: HTTPClient.shared.eventLoopGroup, configuration: configuration)
        let answer: HTTPClientResponse
        do {
            answer = try await client.execute(HTTPClientRequest(url: try #require(authorize.url).absoluteString), timeout: .seconds(10))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        let location = try #require(answer.headers.first(name: "Location"), "the fake sends the person back")
        let back = try #require(URLComponents(string: location))
        return (sent, try await browser.get("\(back.path)?\(back.percentEncodedQuery ?? "")"))
    }
}
