import Foundation

/// A network's OAuth 2 app, registered once by the operator: where people are sent to allow
/// Trestle, where codes and refresh tokens are exchanged, what to ask for, and where the
/// accounts it signs in to are called.
public struct OAuthProvider: Sendable, Equatable {
    /// How the app proves itself at the token endpoint.
    public enum ClientAuthentication: Sendable, Equatable {
        /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1; X's confidential clients).
        case basic
        /// `client_id` and `client_secret` in the form body (LinkedIn, Meta).
        case body
    }

    /// The NETWORK in `TRESTLE_<NETWORK>_CLIENT_ID` and `TRESTLE_<NETWORK>_CLIENT_SECRET`.
    public var settingName: String
    public var authorizeURL: URL
    public var tokenURL: URL
    /// The API the accounts are called at: kept as each channel's server.
    public var apiBase: URL
    public var scopes: [String]
    /// What the scopes are joined with in the authorize address: a space as RFC 6749 has it,
    /// a comma at Meta.
    public var scopeSeparator: String
    public var clientAuthentication: ClientAuthentication
    /// The README section that says, step by step, how to register the app.
    public var setupAnchor: String

    public init(settingName: String, authorizeURL: URL, tokenURL: URL, apiBase: URL, scopes: [String],
                scopeSeparator: String = " ", clientAuthentication: ClientAuthentication, setupAnchor: String) {
        self.settingName = settingName
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.apiBase = apiBase
        self.scopes = scopes
        self.scopeSeparator = scopeSeparator
        self.clientAuthentication = clientAuthentication
        self.setupAnchor = setupAnchor
    }

    /// The same provider with the network's paths on another host (a proxy, or a loopback
    /// stand-in of its API): `authorizePath` and `tokenPath` under `base`, the API at `base`.
    public func relocated(to base: URL, authorizePath: String, tokenPath: String) -> OAuthProvider {
        var provider = self
        provider.authorizeURL = base.appendingPathComponent(authorizePath)
        provider.tokenURL = base.appendingPathComponent(tokenPath)
        provider.apiBase = base
        return provider
    }

    /// Where to send a person to allow Trestle (RFC 6749 §4.1.1 with RFC 7636's S256 challenge).
    public func authorization(app: OAuthApp, redirectURI: String, state: String, pkce: PKCE) -> URL {
        var components = URLComponents(url: authorizeURL, resolvingAgainstBaseURL: false)!
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: app.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "scope", value: scopes.joined(separator: scopeSeparator)),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        // `+` means a space in a query to many servers; spell it out.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }
}

/// The operator's registration of Trestle with one network (`TRESTLE_<NETWORK>_CLIENT_ID` and
/// `…_CLIENT_SECRET`). Never shown or logged.
public struct OAuthApp: Sendable, Equatable {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}
