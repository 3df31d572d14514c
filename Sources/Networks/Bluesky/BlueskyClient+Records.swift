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
    public func post(repo: String, rkey: String, accessJwt: String) async throws -> BlueskyStoredPost? {
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
        return try decode(BlueskyStoredPost.self, response)
    }

    /// Deletes the post under `rkey` (`com.atproto.repo.deleteRecord`); deleting what is not
    /// there succeeds, as the lexicon has it.
    public func deletePost(repo: String, rkey: String, accessJwt: String) async throws {
        struct Input: Encodable {
            var repo: String
            var collection = BlueskyPostRecord.type
            var rkey: String
        }
        let response = try await http.send(
            .POST, url("com.atproto.repo.deleteRecord"),
            headers: ["Authorization": "Bearer \(accessJwt)", "Content-Type": "application/json", "Accept": "application/json"],
            body: try JSONEncoder().encode(Input(repo: repo, rkey: rkey))
        )
        try check(response)
    }

    /// Uploads a file to the account's repository (`com.atproto.repo.uploadBlob`), to embed.
    public func uploadBlob(_ bytes: Data, mimeType: String, accessJwt: String) async throws -> BlueskyBlob {
        let response = try await http.send(
            .POST, url("com.atproto.repo.uploadBlob"),
            headers: ["Authorization": "Bearer \(accessJwt)", "Content-Type": mimeType, "Accept": "application/json"],
            body: bytes, timeout: .seconds(Int64(60 + bytes.count / 100_000))
        )
        try check(response)
        struct Output: Decodable { var blob: BlueskyBlob }
        return try decode(Output.self, response).blob
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
    public var embed: BlueskyEmbed?

    public init(text: String, createdAt: Date, facets: [BlueskyFacet] = [], reply: Reply? = nil, embed: BlueskyEmbed? = nil) {
        self.text = text
        self.createdAt = createdAt
        self.facets = facets
        self.reply = reply
        self.embed = embed
    }

    enum CodingKeys: String, CodingKey {
        case type = "$type"
        case text, createdAt, facets, reply, embed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.type, forKey: .type)
        try container.encode(text, forKey: .text)
        try container.encode(Self.datetime(createdAt), forKey: .createdAt)
        if !facets.isEmpty { try container.encode(facets, forKey: .facets) }
        try container.encodeIfPresent(reply, forKey: .reply)
        try container.encodeIfPresent(embed, forKey: .embed)
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
/// A post as the repository keeps it (`getRecord`): where it is, and its text, which tells
/// Trestle's own post under a record key from another that happens to hold the same key.
public struct BlueskyStoredPost: Decodable, Sendable, Equatable {
    public var ref: BlueskyRecordRef
    public var text: String?

    private struct Value: Decodable {
        var text: String?
    }

    private enum CodingKeys: String, CodingKey {
        case value
    }

    public init(from decoder: any Decoder) throws {
        ref = try BlueskyRecordRef(from: decoder)
        let value = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Value.self, forKey: .value)
        text = value?.text.map { String($0.prefix(10_000)) }
    }
}

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

/// A file in a repository, as a record refers to it (the lexicon's `blob` type).
public struct BlueskyBlob: Codable, Sendable, Equatable {
    public struct Link: Codable, Sendable, Equatable {
        public var link: String
        enum CodingKeys: String, CodingKey { case link = "$link" }
    }

    public var ref: Link
    public var mimeType: String
    public var size: Int

    enum CodingKeys: String, CodingKey {
        case type = "$type"
        case ref, mimeType, size
    }

    public init(ref: Link, mimeType: String, size: Int) {
        self.ref = ref
        self.mimeType = mimeType
        self.size = size
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ref = try container.decode(Link.self, forKey: .ref)
        mimeType = try container.decode(String.self, forKey: .mimeType)
        size = try container.decode(Int.self, forKey: .size)
        guard (1...512).contains(ref.link.utf8.count), mimeType.utf8.count <= 255, size >= 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a blob"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("blob", forKey: .type)
        try container.encode(ref, forKey: .ref)
        try container.encode(mimeType, forKey: .mimeType)
        try container.encode(size, forKey: .size)
    }
}

/// What a post shows beside its text: images (`app.bsky.embed.images`) or a video
/// (`app.bsky.embed.video`), each with its alt text and aspect ratio, or a link's card
/// (`app.bsky.embed.external`).
public enum BlueskyEmbed: Encodable, Sendable, Equatable {
    public struct Image: Sendable, Equatable {
        public var blob: BlueskyBlob
        public var alt: String
        public var width: Int?
        public var height: Int?

        public init(blob: BlueskyBlob, alt: String, width: Int?, height: Int?) {
            self.blob = blob
            self.alt = alt
            self.width = width
            self.height = height
        }
    }

    case images([Image])
    case video(Image)
    case external(uri: String, title: String, description: String, thumb: BlueskyBlob?)

    private enum CodingKeys: String, CodingKey {
        case type = "$type"
        case images, image, video, alt, aspectRatio, external
    }

    private struct External: Encodable {
        var uri: String
        var title: String
        var description: String
        var thumb: BlueskyBlob?
    }

    private struct AspectRatio: Encodable {
        var width: Int
        var height: Int
    }

    private static func aspectRatio(_ image: Image) -> AspectRatio? {
        guard let width = image.width, let height = image.height, width > 0, height > 0 else { return nil }
        return AspectRatio(width: width, height: height)
    }

    private struct ImageEntry: Encodable {
        var image: BlueskyBlob
        var alt: String
        var aspectRatio: AspectRatio?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .images(images):
            try container.encode("app.bsky.embed.images", forKey: .type)
            try container.encode(images.map { ImageEntry(image: $0.blob, alt: $0.alt, aspectRatio: Self.aspectRatio($0)) }, forKey: .images)
        case let .video(video):
            try container.encode("app.bsky.embed.video", forKey: .type)
            try container.encode(video.blob, forKey: .video)
            if !video.alt.isEmpty { try container.encode(video.alt, forKey: .alt) }
            try container.encodeIfPresent(Self.aspectRatio(video), forKey: .aspectRatio)
        case let .external(uri, title, description, thumb):
            try container.encode("app.bsky.embed.external", forKey: .type)
            try container.encode(External(uri: uri, title: title, description: description, thumb: thumb), forKey: .external)
        }
    }
}
