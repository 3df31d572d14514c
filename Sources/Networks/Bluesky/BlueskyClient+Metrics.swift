import Foundation

/// Reading Bluesky's own counts: posts' likes, reposts, replies and quotes
/// (`app.bsky.feed.getPosts`) and an account's followers (`app.bsky.actor.getProfile`), through
/// the account's service, which passes them on from the app view. Every count is checked by
/// `MetricCount` while it is decoded.
extension BlueskyClient {
    /// The lexicon's `maxLength` for `uris`.
    static let mostPostsPerCall = 25

    /// The posts the app view has of these AT URIs; a post it does not have is left out of the
    /// answer, as the lexicon says.
    func postCounts(of uris: [String], accessJwt: String) async throws -> BlueskyPostCounts {
        guard uris.count <= Self.mostPostsPerCall else {
            throw NetworkError.invalidURL("Bluesky reads at most \(Self.mostPostsPerCall) posts at once.")
        }
        var components = URLComponents(url: url("app.bsky.feed.getPosts"), resolvingAgainstBaseURL: false)!
        components.queryItems = uris.map { URLQueryItem(name: "uris", value: $0) }
        let response = try await http.send(.GET, components.url!, headers: ["Authorization": "Bearer \(accessJwt)", "Accept": "application/json"])
        try check(response)
        do {
            return try JSONDecoder().decode(BlueskyPostCounts.self, from: response.body)
        } catch {
            throw NetworkError.unexpectedResponse("The service's posts are not the AT Protocol's (app.bsky.feed.getPosts); is this a Bluesky service?")
        }
    }

    /// How many follow `actor` (`followersCount` of its profile).
    func followersCount(of actor: String, accessJwt: String) async throws -> Int {
        var components = URLComponents(url: url("app.bsky.actor.getProfile"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "actor", value: actor)]
        let response = try await http.send(.GET, components.url!, headers: ["Authorization": "Bearer \(accessJwt)", "Accept": "application/json"])
        try check(response)
        struct Output: Decodable {
            var followers: Int?
            enum CodingKeys: String, CodingKey { case followers = "followersCount" }
            init(from decoder: any Decoder) throws {
                followers = try MetricCount.decode(try decoder.container(keyedBy: CodingKeys.self), .followers)
            }
        }
        guard let count = try decode(Output.self, response).followers else {
            throw NetworkError.unexpectedResponse("Bluesky does not say how many follow the account.")
        }
        return count
    }
}

/// What `app.bsky.feed.getPosts` says of each post: its counts, or why they cannot be used. A
/// post whose counts are out of range is unreadable alone; the others are kept.
struct BlueskyPostCounts: Decodable {
    var counts: [String: PostCounts] = [:]
    var unreadable: Set<String> = []

    /// The AT Protocol's own limit on a URI.
    static let longestURI = 8_192

    enum CodingKeys: String, CodingKey { case posts }

    init(from decoder: any Decoder) throws {
        var list = try decoder.container(keyedBy: CodingKeys.self).nestedUnkeyedContainer(forKey: .posts)
        // Asked for at most 25: a longer list is not the lexicon's answer.
        guard (list.count ?? 0) <= BlueskyClient.mostPostsPerCall else { throw BlueskyBounds.corrupted("too many posts") }
        while !list.isAtEnd {
            let view = try list.decode(View.self)
            switch view.counts {
            case let .success(counts): self.counts[view.uri] = counts
            case .failure: unreadable.insert(view.uri)
            }
        }
    }

    /// One `app.bsky.feed.defs#postView`, read no further than its URI and counts.
    private struct View: Decodable {
        var uri: String
        var counts: Result<PostCounts, DecodingError>

        enum CodingKeys: String, CodingKey { case uri, likeCount, repostCount, replyCount, quoteCount }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            uri = try container.decode(String.self, forKey: .uri)
            guard (1...BlueskyPostCounts.longestURI).contains(uri.utf8.count) else { throw BlueskyBounds.corrupted("post uri") }
            do {
                counts = .success(PostCounts(
                    likes: try MetricCount.decode(container, .likeCount), reposts: try MetricCount.decode(container, .repostCount),
                    replies: try MetricCount.decode(container, .replyCount), quotes: try MetricCount.decode(container, .quoteCount),
                    impressions: nil
                ))
            } catch let error as DecodingError {
                counts = .failure(error)
            }
        }
    }
}
