import Foundation

/// Reading from Threads: the account's profile, the replies under its posts, and the counts
/// Threads gives the account of its own posts (insights).
extension ThreadsClient {
    struct Profile: Decodable {
        var id: String
        var username: String
        var name: String?
    }

    func me() async throws -> Profile {
        let profile = try Self.decode(Profile.self, try await graph.get("me", [("fields", "id,username,name,threads_profile_picture_url")]))
        guard (try? Self.checkedID(profile.id)) != nil, !profile.username.isEmpty, profile.username.count <= 100 else {
            throw NetworkError.unexpectedResponse("Threads answered with an account that is not one.")
        }
        return profile
    }

    /// Every reply under a post, nested ones included, oldest first.
    func conversation(of post: String, limit: Int) async throws -> [Post] {
        let response = try await graph.get("\(try Self.checkedID(post))/conversation", [("fields", Self.postFields), ("reverse", "false"), ("limit", String(limit))])
        return Array((try Self.decode(Page<Post>.self, response).data ?? []).prefix(limit))
    }

    static let postMetrics = ["views", "likes", "replies", "reposts", "quotes"]

    /// A post's insights, or nil when Threads no longer has the post.
    func insights(of post: String) async throws -> [Insight]? {
        guard let response = try await graph.getIfPresent("\(try Self.checkedID(post))/insights", [("metric", Self.postMetrics.joined(separator: ","))]) else { return nil }
        return try Self.decode(Page<Insight>.self, response).data ?? []
    }

    func followers(of user: String) async throws -> Insight? {
        let response = try await graph.get("\(try Self.checkedID(user))/threads_insights", [("metric", "followers_count")])
        return try Self.decode(Page<Insight>.self, response).data?.first { $0.name == "followers_count" }
    }
}
