import Foundation

/// The long-lived user tokens of Threads and Instagram: the hour-long token a sign-in gives is
/// traded for one of sixty days (`GET /access_token?grant_type=th_exchange_token` or
/// `ig_exchange_token`, with the app's secret), and that one is renewed for sixty days more
/// (`GET /refresh_access_token?grant_type=th_refresh_token` or `ig_refresh_token`) when it is
/// at least a day old and has not ended. Trestle renews it in its last week.
public struct MetaLongLivedTokens: Sendable {
    static let lifetime: TimeInterval = 60 * 86_400
    static let renewalWindow: TimeInterval = 7 * 86_400

    let http: NetworkHTTPClient
    /// Where the token endpoints are (`graph.threads.net`, `graph.instagram.com`).
    let apiBase: URL
    /// `th` or `ig`, as the grant types name the network.
    let grantPrefix: String
    let networkName: String

    func exchanged(_ shortLived: String, app: OAuthApp, now: Date) async throws -> NetworkCredentials {
        try await fetch("access_token", [("grant_type", "\(grantPrefix)_exchange_token"), ("client_secret", app.clientSecret), ("access_token", shortLived)], now: now)
    }

    func renewed(_ credentials: NetworkCredentials, now: Date) async throws -> NetworkCredentials {
        guard let token = credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this \(networkName) account. Connect it again.")
        }
        return try await fetch("refresh_access_token", [("grant_type", "\(grantPrefix)_refresh_token"), ("access_token", token)], now: now)
    }

    private func fetch(_ path: String, _ query: [(String, String)], now: Date) async throws -> NetworkCredentials {
        var components = URLComponents(url: apiBase.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let response = try await http.send(.GET, components.url!, headers: ["Accept": "application/json"])
        try MetaGraphAnswer.check(response, network: networkName)
        guard let tokens = OAuthTokenClient.tokens(from: response.body, now: now) else {
            throw NetworkError.unexpectedResponse("\(networkName) answered the sign-in with something that is not a token.")
        }
        return NetworkCredentials(accessToken: tokens.accessToken, expiresAt: tokens.expiresAt ?? now.addingTimeInterval(Self.lifetime))
    }
}

/// A network whose sign-in gives a long-lived token this way (Threads, Instagram): its sign-in
/// hook, renewal and window come from `longLivedTokens`.
public protocol LongLivedTokenSignIn: NetworkConnector {
    var longLivedTokens: MetaLongLivedTokens { get }
}

extension LongLivedTokenSignIn {
    public var renewBefore: TimeInterval { MetaLongLivedTokens.renewalWindow }

    /// The hour-long token of the sign-in traded for one of sixty days.
    public func signedIn(_ tokens: OAuthTokens, app: OAuthApp, now: Date) async throws -> NetworkCredentials {
        try await longLivedTokens.exchanged(tokens.accessToken, app: app, now: now)
    }

    /// A long-lived token renewed for sixty days from now; one that has ended cannot be, and
    /// the account must be connected again.
    public func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? {
        try await longLivedTokens.renewed(account.credentials, now: now)
    }
}
