import Foundation
import NIOHTTP1

/// The token endpoint of an OAuth 2 network (RFC 6749 §4.1.3 and §6): an authorization code,
/// with its PKCE verifier, traded for tokens; a refresh token traded for new ones. Error bodies
/// `{"error", "error_description"}` become the publisher's outcomes: a spent, expired or revoked
/// grant (`invalid_grant`) or a refused app asks for the account to be connected again.
public struct OAuthTokens: Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String?
    /// When the access token ends, as the network said (`expires_in`); nil when it did not.
    public var expiresAt: Date?
    public var scopes: [String]

    /// No network's token lasts ten years; a longer `expires_in` is not one.
    static let longestLifetime: Double = 10 * 365 * 86_400

    /// The credentials to keep: these tokens.
    public var credentials: NetworkCredentials {
        NetworkCredentials(accessToken: accessToken, refreshToken: refreshToken, expiresAt: expiresAt)
    }
}

public struct OAuthTokenClient: Sendable {
    private let http: NetworkHTTPClient
    private let provider: OAuthProvider
    private let app: OAuthApp
    /// The network's name, in what is said to people.
    private let networkName: String

    public init(http: NetworkHTTPClient, provider: OAuthProvider, app: OAuthApp, networkName: String) {
        self.http = http
        self.provider = provider
        self.app = app
        self.networkName = networkName
    }

    /// Trades the code the network sent back, with the verifier of the challenge sent out.
    public func tokens(code: String, verifier: String, redirectURI: String, now: Date = Date()) async throws -> OAuthTokens {
        try await request([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)], now: now)
    }

    /// Spends the refresh token for new tokens. Where the network rotates refresh tokens (X),
    /// the old one is spent by this call: keep the answer's, or the account is lost.
    public func refreshed(_ refreshToken: String, now: Date = Date()) async throws -> OAuthTokens {
        var tokens = try await request([("grant_type", "refresh_token"), ("refresh_token", refreshToken)], now: now)
        // A network that does not rotate keeps the one it was given.
        if tokens.refreshToken == nil { tokens.refreshToken = refreshToken }
        return tokens
    }

    private func request(_ fields: [(String, String)], now: Date) async throws -> OAuthTokens {
        var fields = fields + [("client_id", app.clientID)]
        var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"]
        switch provider.clientAuthentication {
        case .basic:
            let pair = "\(Self.formEncode(app.clientID)):\(Self.formEncode(app.clientSecret))"
            headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        case .body:
            fields.append(("client_secret", app.clientSecret))
        }
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let response = try await http.send(.POST, provider.tokenURL, headers: headers, body: Data(body.utf8))
        guard (200..<300).contains(response.status) else { throw failure(response) }
        guard let tokens = Self.tokens(from: response.body, now: now) else {
            throw NetworkError.unexpectedResponse("\(networkName) answered the sign-in with something that is not a token.")
        }
        return tokens
    }

    /// A token answer (RFC 6749 §5.1), its numbers bounded; nil when it is not one.
    static func tokens(from body: Data, now: Date) -> OAuthTokens? {
        // Instagram's Business Login answers `{"data": [{"access_token", "user_id", "permissions"}]}`.
        struct Listed: Decodable { var data: [Answer] }
        guard let answer = (try? JSONDecoder().decode(Answer.self, from: body)) ?? (try? JSONDecoder().decode(Listed.self, from: body))?.data.first,
              !answer.access_token.isEmpty,
              answer.access_token.utf8.count <= 8_192, (answer.refresh_token?.utf8.count ?? 0) <= 8_192 else { return nil }
        let lifetime = answer.expires_in.flatMap { $0.isFinite && $0 > 0 && $0 <= OAuthTokens.longestLifetime ? $0 : nil }
        return OAuthTokens(
            accessToken: answer.access_token, refreshToken: answer.refresh_token.flatMap { $0.isEmpty ? nil : $0 },
            expiresAt: lifetime.map { now.addingTimeInterval($0) },
            scopes: (answer.scope ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).prefix(50).map(String.init)
        )
    }

    private func failure(_ response: NetworkHTTPClient.Response) -> NetworkError {
        if response.status == 429 { return .rateLimited(retryAfter: RetryAfter.seconds(response)) }
        let error = try? JSONDecoder().decode(ErrorAnswer.self, from: response.body)
        // Meta's Graph API answers its token endpoints' failures as any other call's.
        if error?.isGraphError == true { return MetaGraphAnswer.error(response, network: networkName) }
        let reason = String((error?.error_description ?? error?.error_message ?? error?.error ?? "no reason given").prefix(300))
        // Meta's sign-in (Threads, Instagram): `{"error_type": "OAuthException", "code", "error_message"}`.
        if error?.error_type == "OAuthException" {
            return .unauthorized("\(networkName) refused the sign-in (\(reason)). Connect the account again.")
        }
        switch error?.error {
        case "invalid_grant", "invalid_client", "unauthorized_client", "access_denied":
            return .unauthorized("\(networkName) refused the sign-in (\(reason)). Connect the account again.")
        default:
            return .rejected(status: response.status, message: reason)
        }
    }

    private struct Answer: Decodable {
        var access_token: String
        var refresh_token: String?
        var expires_in: Double?
        var scope: String?

        enum CodingKeys: String, CodingKey { case access_token, refresh_token, expires_in, scope }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            access_token = try container.decode(String.self, forKey: .access_token)
            refresh_token = try container.decodeIfPresent(String.self, forKey: .refresh_token)
            // Some networks send the lifetime as a string.
            if let number = try? container.decodeIfPresent(Double.self, forKey: .expires_in) {
                expires_in = number
            } else {
                expires_in = (try? container.decodeIfPresent(String.self, forKey: .expires_in)).flatMap { $0.flatMap(Double.init) }
            }
            scope = try? container.decodeIfPresent(String.self, forKey: .scope)
        }
    }

    /// RFC 6749's `{"error", "error_description"}`, Meta's sign-in `{"error_type",
    /// "error_message"}`, or the Graph API's `{"error": {…}}`.
    private struct ErrorAnswer: Decodable {
        var error: String?
        var error_description: String?
        var error_type: String?
        var error_message: String?
        var isGraphError = false

        enum CodingKeys: String, CodingKey { case error, error_description, error_type, error_message }
        private struct GraphFailure: Decodable {}

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            error = try? container.decodeIfPresent(String.self, forKey: .error)
            isGraphError = error == nil && (try? container.decodeIfPresent(GraphFailure.self, forKey: .error)) != nil
            error_description = try? container.decodeIfPresent(String.self, forKey: .error_description)
            error_type = try? container.decodeIfPresent(String.self, forKey: .error_type)
            error_message = try? container.decodeIfPresent(String.self, forKey: .error_message)
        }
    }

    /// `application/x-www-form-urlencoded` as RFC 6749 Appendix B has it.
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
