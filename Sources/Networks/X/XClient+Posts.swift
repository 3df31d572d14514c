import Foundation

/// Posts: `POST /2/tweets` (a reply names the post it answers), `DELETE /2/tweets/:id`, and
/// the account's own recent posts (`GET /2/users/:id/tweets`), where a post whose outcome is
/// unknown is looked for before it is sent again: X takes no idempotency key.
extension XClient {
    public struct Post: Decodable, Sendable, Equatable {
        public struct Reference: Decodable, Sendable, Equatable {
            public var type: String
            public var id: String
        }

        public var id: String
        public var text: String
        public var createdAt: Date?
        public var referencedTweets: [Reference]?

        enum CodingKeys: String, CodingKey {
            case id, text
            case createdAt = "created_at"
            case referencedTweets = "referenced_tweets"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
            createdAt = (try? container.decodeIfPresent(String.self, forKey: .createdAt)).flatMap { $0.flatMap(XClient.date) }
            referencedTweets = try? container.decodeIfPresent([Reference].self, forKey: .referencedTweets)
        }

        /// The post it replies to, if it is a reply.
        public var repliesTo: String? { referencedTweets?.first { $0.type == "replied_to" }?.id }
    }

    /// Posts `text` as the account, replying to `inReplyTo`, with uploaded media.
    public func createPost(text: String, inReplyTo: String?, mediaIDs: [String]) async throws -> Post {
        struct Body: Encodable {
            struct Reply: Encodable { var in_reply_to_tweet_id: String }
            struct Media: Encodable { var media_ids: [String] }
            var text: String
            var reply: Reply?
            var media: Media?
        }
        let body = Body(text: text, reply: inReplyTo.map(Body.Reply.init), media: mediaIDs.isEmpty ? nil : Body.Media(media_ids: mediaIDs))
        let response = try await send(.POST, "/2/tweets", json: body)
        let post = try Self.decode(Envelope<Post>.self, response).data
        _ = try Self.checkedID(post.id)
        return post
    }

    /// Deletes one of the account's posts; one X no longer has counts as deleted.
    public func deletePost(_ id: String) async throws {
        let response = try await http.send(.DELETE, url("/2/tweets/\(try Self.checkedID(id))"), headers: headers)
        if response.status == 404 { return }
        try Self.check(response)
    }

    /// Among the account's posts since `since`, the one whose text reads as `text` and that
    /// replies to `inReplyTo`; nil when there is none, so the post can be sent.
    public func recentPost(of userID: String, matching text: String, inReplyTo: String?, since: Date) async throws -> Post? {
        let wanted = Self.comparable(text)
        var query = [("max_results", "100"), ("tweet.fields", "created_at,referenced_tweets"),
                     ("start_time", Self.timestamp(since.addingTimeInterval(-60)))]
        for _ in 0..<Self.mostPagesLookedAt {
            struct Page: Decodable {
                struct Meta: Decodable { var next_token: String? }
                var data: [Post]?
                var meta: Meta?
            }
            let page = try Self.decode(Page.self, try await get("/2/users/\(try Self.checkedID(userID))/tweets", query))
            if let found = page.data?.first(where: { Self.comparable($0.text) == wanted && $0.repliesTo == inReplyTo }) { return found }
            guard let next = page.meta?.next_token, !next.isEmpty, next.count <= 200 else { return nil }
            query.removeAll { $0.0 == "pagination_token" }
            query.append(("pagination_token", next))
        }
        return nil
    }

    /// An account that posted more than 500 times since an attempt is not searched further.
    static let mostPagesLookedAt = 5

    /// Text as X shows it back, for comparing with what was sent: X replaces every link with a
    /// `t.co` one and escapes `&`, `<` and `>`; links are left out on both sides.
    static func comparable(_ text: String) -> String {
        plain(text).split(whereSeparator: \.isWhitespace)
            .filter { !$0.lowercased().hasPrefix("http://") && !$0.lowercased().hasPrefix("https://") }
            .joined(separator: " ")
    }

    /// A post's text as X sends it (`&`, `<` and `>` escaped), as plain text.
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    /// The post's page.
    public static func webURL(of id: String) -> String { "https://x.com/i/web/status/\(id)" }
}
