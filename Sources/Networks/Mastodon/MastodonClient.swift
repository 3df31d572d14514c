import Foundation
import NIOHTTP1

/// Mastodon's REST API, and the servers that follow it (Pleroma, Akkoma, GoToSocial…), for one
/// instance.
public struct MastodonClient: Sendable {
    public let instanceURL: URL
    let http: NetworkHTTPClient

    public init(instanceURL: URL, http: NetworkHTTPClient) {
        self.instanceURL = instanceURL
        self.http = http
    }

    /// The instance address as people type it — `mastodon.social`, `https://mastodon.social/`,
    /// `https://mastodon.social/@shop` — as the base URL the API lives under.
    public static func instanceURL(from typed: String) throws -> URL {
        try ServerAddress.baseURL(from: typed, example: "mastodon.social", what: "instance")
    }

    /// The account an access token belongs to (`GET /api/v1/accounts/verify_credentials`).
    public func verifyCredentials(accessToken: String) async throws -> MastodonAccount {
        let response = try await http.send(.GET, url("/api/v1/accounts/verify_credentials"), headers: ["Authorization": "Bearer \(accessToken)", "Accept": "application/json"])
        try Self.check(response, host: instanceURL.host ?? "")
        return try Self.decode(MastodonAccount.self, response)
    }

    /// The instance's limits (`GET /api/v2/instance`, or `/api/v1/instance` on servers that
    /// predate Mastodon 4.0).
    public func instance() async throws -> MastodonInstance {
        let response = try await http.send(.GET, url("/api/v2/instance"), headers: ["Accept": "application/json"])
        if response.status == 404 || response.status == 410 {
            let old = try await http.send(.GET, url("/api/v1/instance"), headers: ["Accept": "application/json"])
            try Self.check(old, host: instanceURL.host ?? "")
            return try Self.decode(MastodonInstance.self, old)
        }
        try Self.check(response, host: instanceURL.host ?? "")
        return try Self.decode(MastodonInstance.self, response)
    }

    func url(_ path: String) -> URL {
        instanceURL.appendingPathComponent(String(path.dropFirst()))
    }

    /// Turns an error status into a `NetworkError` with Mastodon's own `{"error": "…"}` message.
    static func check(_ response: NetworkHTTPClient.Response, host: String) throws {
        guard !(200..<300).contains(response.status) else { return }
        let message = (try? JSONDecoder().decode(MastodonErrorBody.self, from: response.body))?.error
        switch response.status {
        case 401, 403:
            throw NetworkError.unauthorized("\(host) refused the access token\(message.map { ": \($0)" } ?? "."). Make a new token under Preferences → Development and paste it again.")
        case 429:
            throw NetworkError.rateLimited(retryAfter: RetryAfter.seconds(response))
        default:
            throw NetworkError.rejected(status: response.status, message: message ?? "no reason given")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw NetworkError.unexpectedResponse("The server's answer is not the Mastodon API's (\(T.self)); is this a Mastodon instance?")
        }
    }
}

struct MastodonErrorBody: Decodable {
    var error: String
}

/// The parts of Mastodon's `Account` entity a channel needs.
public struct MastodonAccount: Decodable, Sendable {
    public var id: String
    public var username: String
    public var acct: String
    public var displayName: String
    public var url: String?
    /// Their picture; nil when it is longer than any address Trestle keeps.
    public var avatar: String?

    enum CodingKeys: String, CodingKey {
        case id, username, acct, url, avatar
        case displayName = "display_name"
    }

    /// Any instance can answer anything: ids and names are kept only within the lengths
    /// Mastodon itself allows (with room to spare); a display name is shortened, not refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        username = try container.decode(String.self, forKey: .username)
        acct = try container.decode(String.self, forKey: .acct)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        avatar = try container.decodeIfPresent(String.self, forKey: .avatar).flatMap { $0.utf8.count <= 2_048 ? $0 : nil }
        displayName = String(try container.decodeIfPresent(String.self, forKey: .displayName)?.prefix(Self.longestDisplayName) ?? "")
        guard (1...Self.longestID).contains(id.utf8.count), (1...Self.longestUsername).contains(username.utf8.count),
              acct.utf8.count <= Self.longestUsername + 256, (url?.utf8.count ?? 0) <= 2_048 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "account fields out of range"))
        }
    }

    static let longestID = 128
    static let longestUsername = 128
    static let longestDisplayName = 100
}

/// An instance's domain and posting limits, from either version of the instance endpoint.
public struct MastodonInstance: Decodable, Sendable {
    /// The longest post Trestle counts for. An instance that allows more also takes this much,
    /// so a larger limit is read as this one rather than trusted to size a buffer.
    public static let longestPostLimit = 100_000
    /// What a link may count for. Mastodon says 23; an instance claiming more than this is
    /// not one Trestle can count for, and saying so beats building a string that size.
    public static let mostCharactersPerURL = 1_000

    /// The domain in the instance's handles (`@user@domain`), which may differ from its web address.
    public var domain: String?
    public var maxCharacters: Int
    public var charactersReservedPerURL: Int
    /// Where the instance streams (`configuration.urls.streaming`, v1's `urls.streaming_api`),
    /// often a `wss://` address; nil when it names none and the instance itself streams.
    public var streamingURL: String?

    private struct URLs: Decodable {
        var streaming: String?
        var streamingAPI: String?
        enum CodingKeys: String, CodingKey {
            case streaming
            case streamingAPI = "streaming_api"
        }
    }

    private struct Configuration: Decodable {
        struct Statuses: Decodable {
            var maxCharacters: Int?
            var charactersReservedPerUrl: Int?
            enum CodingKeys: String, CodingKey {
                case maxCharacters = "max_characters"
                case charactersReservedPerUrl = "characters_reserved_per_url"
            }
        }
        var statuses: Statuses?
    }

    /// Only the addresses, read apart from the limits: a streaming address in an odd shape
    /// leaves streaming to the instance's own address and must not stop a channel connecting.
    private struct ConfigurationURLs: Decodable {
        var urls: URLs?
    }

    enum CodingKeys: String, CodingKey {
        case domain, uri, configuration, urls
        case maxTootChars = "max_toot_chars"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // v2 names the domain `domain`; v1 names it `uri` (a bare domain there).
        domain = try container.decodeIfPresent(String.self, forKey: .domain) ?? container.decodeIfPresent(String.self, forKey: .uri)
        let statuses = try container.decodeIfPresent(Configuration.self, forKey: .configuration)?.statuses
        // Pleroma and Akkoma say `max_toot_chars` at the top level instead.
        let pleromaLimit = try? container.decodeIfPresent(Int.self, forKey: .maxTootChars)
        let limit = statuses?.maxCharacters ?? pleromaLimit ?? 500
        charactersReservedPerURL = statuses?.charactersReservedPerUrl ?? 23
        guard limit > 0, (0...Self.mostCharactersPerURL).contains(charactersReservedPerURL) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "limits out of range"))
        }
        maxCharacters = min(limit, Self.longestPostLimit)
        // `try?`: see `ConfigurationURLs`.
        let v2: URLs? = try? container.decodeIfPresent(ConfigurationURLs.self, forKey: .configuration)?.urls
        let v1: URLs? = try? container.decodeIfPresent(URLs.self, forKey: .urls)
        let urls = v2 ?? v1
        streamingURL = (urls?.streaming ?? urls?.streamingAPI).flatMap { $0.utf8.count <= 2_048 ? $0 : nil }
        if let domain, domain.utf8.count > 253 {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "domain longer than DNS allows"))
        }
    }
}
