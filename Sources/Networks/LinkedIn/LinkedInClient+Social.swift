import Foundation

/// What people do with a post on LinkedIn (`socialActions`): its comments, the author's
/// answers to them, and its counts of likes and comments.
extension LinkedInClient {
    struct Comment: Decodable {
        struct Message: Decodable { var text: String? }
        struct Created: Decodable { var time: Double? }
        var actor: String?
        var commentUrn: String?
        var message: Message?
        var created: Created?
        var object: String?
        var parentComment: String?
    }

    func comments(on post: String, count: Int) async throws -> [Comment] {
        let response = try await send(.GET, "/rest/socialActions/\(Self.encoded(try Self.checkedURN(post)))/comments", query: [("count", String(count))])
        return Array((try Self.decode(Elements<Comment>.self, response).elements ?? []).prefix(count))
    }

    /// `actor`'s comment on a post, or its reply to a comment there; returns its URN.
    func comment(_ text: String, as actor: String, on post: String, replyingTo parent: String?) async throws -> String {
        var body: [String: Any] = ["actor": actor, "object": try Self.checkedURN(post), "message": ["text": text]]
        if let parent { body["parentComment"] = try Self.checkedURN(parent) }
        let target = try Self.checkedURN(parent ?? post)
        let response = try await send(.POST, "/rest/socialActions/\(Self.encoded(target))/comments", json: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        guard let id = response.header("x-restli-id") else { throw NetworkError.unexpectedResponse("LinkedIn made the comment but did not say its id.") }
        return try Self.checkedURN(id)
    }

    struct Summary: Decodable {
        struct Likes: Decodable { var totalLikes: Double? }
        struct Comments: Decodable { var aggregatedTotalComments: Double? }
        var likesSummary: Likes?
        var commentsSummary: Comments?
    }

    /// A post's counts, or nil when LinkedIn no longer has it.
    func summary(of post: String) async throws -> Summary? {
        do {
            return try Self.decode(Summary.self, try await send(.GET, "/rest/socialActions/\(Self.encoded(try Self.checkedURN(post)))"))
        } catch NetworkError.rejected(status: 404, _) {
            return nil
        }
    }
}
