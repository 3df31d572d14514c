import Foundation
import NIOHTTP1

/// The AT Protocol's XRPC endpoints on one service (a PDS, or the `bsky.social` entryway) that
/// Trestle needs for a Bluesky account.
public struct BlueskyClient: Sendable {
    /// Where most accounts log in.
    public static let defaultService = URL(string: "https://bsky.social")!

    public let serviceURL: URL
    let http: NetworkHTTPClient

    public init(serviceURL: URL, http: NetworkHTTPClient) {
        self.serviceURL = serviceURL
        self.http = http
    }

    /// The service address as typed (`bsky.social`, `https://pds.example.com/`), or the default.
    public static func serviceURL(from typed: String?) throws -> URL {
        guard let typed, !typed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return defaultService }
        return try ServerAddress.baseURL(from: typed, example: "bsky.social", what: "service")
    }

    /// Logs in with a handle (or email) and an app password (`com.atproto.server.createSession`).
    public func createSession(identifier: String, password: String) async throws -> BlueskySession {
        let body = try JSONEncoder().encode(["identifier": identifier, "password": password])
        let response = try await http.send(
            .POST, url("com.atproto.server.createSession"),
            headers: ["Content-Type": "application/json", "Accept": "application/json"], body: body
        )
        try check(response)
        return try decode(BlueskySession.self, response)
    }

    /// A new session from the refresh token of an earlier one (`com.atproto.server.refreshSession`).
    public func refreshSession(refreshJwt: String) async throws -> BlueskySession {
        let response = try await http.send(
            .POST, url("com.atproto.server.refreshSession"), headers: ["Authorization": "Bearer \(refreshJwt)", "Accept": "application/json"]
        )
        try check(response)
        return try decode(BlueskySession.self, response)
    }

    /// A profile's display name and handle (`app.bsky.actor.getProfile`).
    public func profile(of actor: String, accessJwt: String) async throws -> BlueskyProfile {
        var components = URLComponents(url: url("app.bsky.actor.getProfile"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "actor", value: actor)]
        let response = try await http.send(.GET, components.url!, headers: ["Authorization": "Bearer \(accessJwt)", "Accept": "application/json"])
        try check(response)
        return try decode(BlueskyProfile.self, response)
    }

    func url(_ method: String) -> URL {
        serviceURL.appendingPathComponent("xrpc").appendingPathComponent(method)
    }

    /// XRPC errors are `{"error": "Name", "message": "…"}`.
    func check(_ response: NetworkHTTPClient.Response) throws {
        guard !(200..<300).contains(response.status) else { return }
        let error = try? JSONDecoder().decode(XRPCError.self, from: response.body)
        switch (response.status, error?.error) {
        case (_, "AuthFactorTokenRequired"):
            throw NetworkError.unauthorized("This account asks for a code sent by email at each sign-in. Use an app password (Settings → Privacy and security → App passwords), which does not.")
        case (_, "AccountTakedown"), (_, "AccountDeactivated"):
            throw NetworkError.unauthorized("Bluesky says this account is not active: \(error?.message ?? "taken down or deactivated").")
        case (401, _), (_, "AuthenticationRequired"), (_, "ExpiredToken"), (_, "InvalidToken"):
            throw NetworkError.unauthorized("Bluesky refused the handle or app password\(error?.message.map { ": \($0)" } ?? "."). Check both, or make a new app password.")
        case (429, _):
            throw NetworkError.rateLimited(retryAfter: RetryAfter.seconds(response))
        default:
            throw NetworkError.rejected(status: response.status, message: error?.message ?? error?.error ?? "no reason given")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw NetworkError.unexpectedResponse("The service's answer is not the AT Protocol's (\(T.self)); is this a Bluesky service?")
        }
    }
}

struct XRPCError: Decodable {
    var error: String?
    var message: String?
}

/// A logged-in session: the account's DID and handle, and its tokens.
public struct BlueskySession: Decodable, Sendable {
    public var did: String
    public var handle: String
    public var accessJwt: String
    public var refreshJwt: String

    enum CodingKeys: String, CodingKey { case did, handle, accessJwt, refreshJwt }

    /// Any service can answer anything: a DID, handle or token longer than the AT Protocol
    /// allows (2 KB, 253 characters) or than a token plausibly is makes the answer unreadable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        did = try container.decode(String.self, forKey: .did)
        handle = try container.decode(String.self, forKey: .handle)
        accessJwt = try container.decode(String.self, forKey: .accessJwt)
        refreshJwt = try container.decode(String.self, forKey: .refreshJwt)
        guard BlueskyBounds.fits(did: did, handle: handle), (1...BlueskyBounds.longestToken).contains(accessJwt.utf8.count),
              (1...BlueskyBounds.longestToken).contains(refreshJwt.utf8.count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "session fields out of range"))
        }
    }
}

public struct BlueskyProfile: Decodable, Sendable {
    public var did: String
    public var handle: String
    public var displayName: String?

    enum CodingKeys: String, CodingKey { case did, handle, displayName }

    /// A display name is shortened to Bluesky's own 64 characters rather than refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        did = try container.decode(String.self, forKey: .did)
        handle = try container.decode(String.self, forKey: .handle)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName).map { String($0.prefix(64)) }
        guard BlueskyBounds.fits(did: did, handle: handle) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "profile fields out of range"))
        }
    }
}

/// The AT Protocol's own limits on what identifies an account.
enum BlueskyBounds {
    static let longestDID = 2_048
    static let longestHandle = 253
    static let longestToken = 16_384

    /// A post's text as Trestle keeps it; the lexicon's own limit is 3,000 bytes.
    static let longestText = 10_000
    /// A service's page cursor, kept inside Trestle's own cursor.
    static let longestCursor = 1_024

    static func fits(did: String, handle: String) -> Bool {
        (1...longestDID).contains(did.utf8.count) && (1...longestHandle).contains(handle.utf8.count)
    }

    /// A content id: letters and digits (base32 or base58), as no record's is longer than 512.
    static func isCID(_ cid: String) -> Bool {
        (1...512).contains(cid.utf8.count) && cid.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// `text` cut to at most `graphemes` characters and `bytes` UTF-8 bytes, on a character's edge.
    static func cut(_ text: String, graphemes: Int, bytes: Int) -> String {
        guard text.utf8.count > bytes || (graphemes < .max && text.count > graphemes) else { return text }
        var kept = "", used = 0
        for character in text.prefix(graphemes) {
            let size = character.utf8.count
            guard used + size <= bytes else { break }
            kept.append(character)
            used += size
        }
        return kept
    }

    /// An http(s) address with a host, of a sane length; nil for anything else (`javascript:`,
    /// `data:`, relative).
    static func webAddress(_ text: String) -> String? {
        guard text.utf8.count <= 2_048, let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              url.host?.isEmpty == false else { return nil }
        return text
    }

    static func corrupted(_ what: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(what) out of range"))
    }
}
