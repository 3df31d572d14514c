import Foundation

/// The Instagram API with Instagram Login (`graph.instagram.com/v23.0`), as one professional
/// account calls it with its long-lived user token: its profile, containers and publishing,
/// its media, comments and replies, and insights.
public struct InstagramClient: Sendable {
    let graph: MetaGraphClient

    public init(apiBase: URL, accessToken: String, http: NetworkHTTPClient) {
        graph = MetaGraphClient(apiBase: apiBase, version: "v23.0", accessToken: accessToken, http: http, networkName: "Instagram")
    }

    static func checkedID(_ id: String) throws -> String { try MetaGraphClient.checkedID(id, network: "Instagram") }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        try MetaGraphClient.decode(type, response, network: "Instagram")
    }

    struct Profile: Decodable {
        /// The professional account's id, which publishing names (`id` is the app's own id of the person).
        var user_id: String
        var username: String
        var name: String?
        /// `BUSINESS` or `MEDIA_CREATOR`; apps cannot publish for a personal account.
        var account_type: String?
        var followers_count: Double?
    }

    func me() async throws -> Profile {
        let profile = try Self.decode(Profile.self, try await graph.get("me", [("fields", "user_id,username,name,account_type,profile_picture_url,followers_count")]))
        guard (try? Self.checkedID(profile.user_id)) != nil, !profile.username.isEmpty, profile.username.count <= 100 else {
            throw NetworkError.unexpectedResponse("Instagram answered with an account that is not one.")
        }
        return profile
    }

    /// A post of the account's, as the API shows it.
    struct Media: Decodable {
        var id: String
        var caption: String?
        var permalink: String?
        var timestamp: String?
    }

    /// The account's newest posts, since `since` when given.
    func media(of user: String, since: Date?, limit: Int) async throws -> [Media] {
        var query = [("fields", "id,caption,permalink,timestamp"), ("limit", String(limit))]
        if let since { query.append(("since", String(Int(since.timeIntervalSince1970)))) }
        let response = try await graph.get("\(try Self.checkedID(user))/media", query)
        return (try Self.decode(MetaGraphClient.Page<Media>.self, response).data ?? []).prefix(limit).filter { (try? Self.checkedID($0.id)) != nil }
    }

    /// One post, or nil when Instagram no longer has it.
    func medium(_ id: String) async throws -> Media? {
        guard let response = try await graph.getIfPresent(try Self.checkedID(id), [("fields", "id,caption,permalink,timestamp")]) else { return nil }
        return try Self.decode(Media.self, response)
    }

    /// A comment as the API shows it, with its replies when it is a top-level one.
    struct Comment: Decodable {
        struct Author: Decodable { var id: String?; var username: String? }
        struct Replies: Decodable { var data: [Comment]? }
        var id: String
        var text: String?
        var timestamp: String?
        var username: String?
        var from: Author?
        var parent_id: String?
        var replies: Replies?
    }

    static let commentFields = "id,text,timestamp,username,from,parent_id"

    /// The top-level comments of a post, each with its replies.
    func comments(on media: String, limit: Int) async throws -> [Comment] {
        let response = try await graph.get("\(try Self.checkedID(media))/comments",
                                           [("fields", "\(Self.commentFields),replies{\(Self.commentFields)}"), ("limit", String(limit))])
        return Array((try Self.decode(MetaGraphClient.Page<Comment>.self, response).data ?? []).prefix(limit))
    }

    /// The replies under a comment.
    func replies(to comment: String, limit: Int) async throws -> [Comment] {
        let response = try await graph.get("\(try Self.checkedID(comment))/replies", [("fields", Self.commentFields), ("limit", String(limit))])
        return Array((try Self.decode(MetaGraphClient.Page<Comment>.self, response).data ?? []).prefix(limit))
    }

    func comment(_ id: String) async throws -> Comment? {
        guard let response = try await graph.getIfPresent(try Self.checkedID(id), [("fields", Self.commentFields)]) else { return nil }
        return try Self.decode(Comment.self, response)
    }

    /// The account's reply to a top-level comment; returns its id.
    func reply(_ text: String, to comment: String) async throws -> String {
        let response = try await graph.post("\(try Self.checkedID(comment))/replies", [("message", text)])
        return try Self.checkedID(Self.decode(MetaGraphClient.Created.self, response).id)
    }

    static let postMetrics = ["views", "likes", "comments", "shares", "saved"]

    /// A post's insights, or nil when Instagram no longer has the post.
    func insights(of media: String) async throws -> [MetaGraphClient.Insight]? {
        guard let response = try await graph.getIfPresent("\(try Self.checkedID(media))/insights", [("metric", Self.postMetrics.joined(separator: ","))]) else { return nil }
        return try Self.decode(MetaGraphClient.Page<MetaGraphClient.Insight>.self, response).data ?? []
    }
}

/// Containers: made for a post, readied by Instagram (which fetches the media), published.
extension InstagramClient: MetaContainerClient {
    var networkName: String { "Instagram" }

    func makeContainer(for user: String, _ fields: [(String, String)]) async throws -> String {
        let response = try await graph.post("\(try Self.checkedID(user))/media", fields)
        return try Self.checkedID(Self.decode(MetaGraphClient.Created.self, response).id)
    }

    /// A container's state as Instagram answers it: `status_code`, and `status` saying why.
    struct ContainerState: Decodable {
        var status_code: String?
        var status: String?

        var state: MetaContainerState { MetaContainerState(status: status_code, reason: status) }
    }

    func state(of container: String) async throws -> MetaContainerState {
        try Self.decode(ContainerState.self, try await graph.get(try Self.checkedID(container), [("fields", "status_code,status")])).state
    }

    func publish(container: String, for user: String) async throws -> String {
        let response = try await graph.post("\(try Self.checkedID(user))/media_publish", [("creation_id", try Self.checkedID(container))])
        return try Self.checkedID(Self.decode(MetaGraphClient.Created.self, response).id)
    }
}
