import Foundation
import NIOHTTP1
import TextRules

/// Writing posts to the account's repository, exactly once: each post has a record key fixed
/// before it is first sent, so a record that already exists under that key is the post itself.
/// A PDS answers a create over an existing key with an error (today often a 500), so a failed
/// create, or one whose answer was lost, is followed by a look for the record before anything
/// is sent again.
extension BlueskyClient {
    /// `com.atproto.repo.createRecord` of an `app.bsky.feed.post` under `rkey`.
    public func createPost(_ record: BlueskyPostRecord, repo: String, rkey: String, accessJwt: String) async throws -> BlueskyRecordRef {
        struct Input: Encodable {
            var repo: String
            var collection = BlueskyPostRecord.type
            var rkey: String
            var record: BlueskyPostRecord
        }
        let response = try await http.send(
            .POST, url("com.atproto.repo.createRecord"),
            headers: ["Authorization": "Bearer \(accessJwt)", "Content-Type": "application/json", "Accept": "application/json"],
            body: try JSONEncoder().encode(Input(repo: repo, rkey: rkey, record: record))
        )
        try check(response)
        return try decode(BlueskyRecordRef.self, response)
    }

    /// The post under `rkey` in the repository, or nil when there is none
    /// (`com.atproto.repo.getRecord` answering `RecordNotFound`).
    public func post(repo: String, rkey: String, accessJwt: String) async throws -> BlueskyRecordRef? {
        var components = URLComponents(url: url("com.atproto.repo.getRecord"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "repo", value: repo), URLQueryItem(name: "collection", value: BlueskyPostRecord.type),
            URLQueryItem(name: "rkey", value: rkey),
        ]
        let response = try await http.send(.GET, components.url!, headers: ["Authorization": "Bearer \(accessJwt)", "Accept": "application/json"])
        if response.status == 400 || response.status == 404,
           (try? JSONDecoder().decode(XRPCError.self, from: response.body))?.error == "RecordNotFound" {
            return nil
        }
        try check(response)
        return try decode(BlueskyRecordRef.self, response)
    }

    /// The DID of a handle (`com.atproto.identity.resolveHandle`), for a mention's facet; nil
    /// when the handle does not resolve.
    public func did(ofHandle handle: String) async throws -> String? {
        var components = URLComponents(url: url("com.atproto.identity.resolveHandle"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "handle", value: handle)]
        let response = try await http.send(.GET, components.url!, headers: ["Accept": "application/json"])
        if response.status == 400 { return nil }
        try check(response)
        struct Output: Decodable { var did: String }
        let did = try decode(Output.self, response).did
        return ATProtoSyntax.isValidDID(did) ? did : nil
    }
}

/// An `app.bsky.feed.post` record.
public struct BlueskyPostRecord: Encodable, Sendable, Equatable {
    public static let type = "app.bsky.feed.post"

    /// Where a reply sits: the thread's first post and the one it answers.
    public struct Reply: Encodable, Sendable, Equatable {
        public var root: BlueskyRecordRef
        public var parent: BlueskyRecordRef

        public init(root: BlueskyRecordRef, parent: BlueskyRecordRef) {
            self.root = root
            self.parent = parent
        }
    }

    public var text: String
    public var createdAt: Date
    public var facets: [BlueskyFacet]
    public var reply: Reply?

    public init(text: String, createdAt: Date, facets: [BlueskyFacet] = [], reply: Reply? = nil) {
        self.text = text
        self.createdAt = createdAt
        self.facets = facets
        self.reply = reply
    }

    enum CodingKeys: String, CodingKey {
        case type = "$type"
        case text, createdAt, facets, reply
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.type, forKey: .type)
        try container.encode(text, forKey: .text)
        try container.encode(Self.datetime(createdAt), forKey: .createdAt)
        if !facets.isEmpty { try container.encode(facets, forKey: .facets) }
        try container.encodeIfPresent(reply, forKey: .reply)
    }

    /// RFC 3339 in UTC with milliseconds, as the AT Protocol's `datetime` asks.
    static func datetime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// A record's address and content hash (`com.atproto.repo.strongRef`).
public struct BlueskyRecordRef: Codable, Sendable, Equatable {
    public var uri: String
    public var cid: String

    public init(uri: String, cid: String) {
        self.uri = uri
        self.cid = cid
    }

    /// The post's page on bsky.app, built from its AT URI (`at://did/app.bsky.feed.post/rkey`).
    public var webURL: String? {
        let parts = uri.split(separator: "/")
        guard uri.hasPrefix("at://"), parts.count == 4, parts[2] == Substring(BlueskyPostRecord.type) else { return nil }
        return "https://bsky.app/profile/\(parts[1])/post/\(parts[3])"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uri = try container.decode(String.self, forKey: .uri)
        cid = try container.decode(String.self, forKey: .cid)
        guard uri.hasPrefix("at://"), uri.utf8.count <= 8_192, (1...512).contains(cid.utf8.count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a record reference"))
        }
    }

    enum CodingKeys: String, CodingKey { case uri, cid }
}
