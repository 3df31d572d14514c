import Foundation
import NIOHTTP1

/// Connecting a Mastodon account by signing in on its instance: Trestle registers itself as an
/// application there once (`POST /api/v1/apps`), sends the person to `/oauth/authorize` with a
/// PKCE challenge, and trades the code it gets back for a token (`POST /oauth/token`).
extension MastodonClient {
    /// What Trestle asks for: reading the account, and writing statuses and media.
    public static let scopes = "read write"

    public func registerApplication(name: String, redirectURI: String, website: String?) async throws -> MastodonApplicationCredentials {
        var fields = ["client_name": name, "redirect_uris": redirectURI, "scopes": Self.scopes]
        if let website { fields["website"] = website }
        let response = try await http.send(
            .POST, url("/api/v1/apps"), headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Self.formBody(fields)
        )
        try Self.check(response, host: instanceURL.host ?? "")
        return try Self.decode(MastodonApplicationCredentials.self, response)
    }

    /// Where the person approves Trestle on their instance.
    public func authorizationURL(clientID: String, redirectURI: String, state: String, pkce: PKCE) -> URL {
        var components = URLComponents(url: url("/oauth/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: Self.scopes),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        return components.url!
    }

    /// Trades the authorization code for an access token.
    public func accessToken(code: String, application: MastodonApplicationCredentials, redirectURI: String, pkce: PKCE) async throws -> String {
        let fields = [
            "grant_type": "authorization_code", "code": code, "client_id": application.clientID,
            "client_secret": application.clientSecret, "redirect_uri": redirectURI, "code_verifier": pkce.verifier,
            "scope": Self.scopes,
        ]
        // RFC 6749 §4.1.3: the token request is form-encoded, which every Mastodon-compatible server reads.
        let response = try await http.send(
            .POST, url("/oauth/token"), headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Self.formBody(fields)
        )
        if response.status == 400 || response.status == 401 {
            // OAuth errors are `{"error": "invalid_grant", "error_description": "…"}`.
            let error = try? JSONDecoder().decode(OAuthErrorBody.self, from: response.body)
            throw NetworkError.unauthorized("\(instanceURL.host ?? "The instance") did not accept the sign-in\(error?.errorDescription.map { ": \($0)" } ?? "."). Try connecting again.")
        }
        try Self.check(response, host: instanceURL.host ?? "")
        return try Self.decode(OAuthToken.self, response).accessToken
    }
}

extension MastodonClient {
    /// `application/x-www-form-urlencoded`, keys in a stable order.
    static func formBody(_ fields: [String: String]) -> Data {
        formBody(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// `application/x-www-form-urlencoded`, in this order; a key may repeat (`media_ids[]`).
    static func formBody(_ fields: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pairs = fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }
        return Data(pairs.joined(separator: "&").utf8)
    }
}

/// Trestle's registration on one instance.
public struct MastodonApplicationCredentials: Codable, Sendable, Equatable {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case clientSecret = "client_secret"
    }
}

struct OAuthToken: Decodable {
    var accessToken: String
    enum CodingKeys: String, CodingKey { case accessToken = "access_token" }
}

struct OAuthErrorBody: Decodable {
    var error: String?
    var errorDescription: String?
    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}
