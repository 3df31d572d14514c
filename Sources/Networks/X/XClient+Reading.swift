import Foundation

/// Reading: who the token belongs to (`GET /2/users/me`), posts mentioning the account
/// (`GET /2/users/:id/mentions`), posts by id with their public counts (`GET /2/tweets`).
extension XClient {
    public struct User: Decodable, Sendable {
        public struct Counts: Decodable, Sendable { public var followers_count: Double? }

        public var id: String
        public var name: String
        public var username: String
        public var profile_image_url: String?
        public var public_metrics: Counts?
    }

    public func me() async throws -> User {
        let user = try Self.decode(Envelope<User>.self, try await get("/2/users/me", [("user.fields", "public_metrics,profile_image_url")])).data
        _ = try Self.checkedID(user.id)
        return user
    }

    /// A page of posts with the users they name, as the reading endpoints answer.
    struct Page: Decodable {
        struct Includes: Decodable { var users: [User]?; var tweets: [FullPost]? }
        struct Meta: Decodable { var newest_id: String?; var next_token: String?; var result_count: Int? }
        struct Problem: Decodable { var resource_id: String?; var value: String?; var type: String?; var detail: String? }
        var data: [FullPost]?
        var includes: Includes?
        var meta: Meta?
        var errors: [Problem]?
    }

    /// A post with what reading needs of it: its author and conversation, its counts. Counts
    /// that are not counts make this post's counts unreadable, not the whole page.
    struct FullPost: Decodable {
        var id: String
        var text: String?
        var author_id: String?
        var created_at: String?
        var referenced_tweets: [Post.Reference]?
        var counts: PostCounts?
        var countsUnreadable = false

        enum CodingKeys: String, CodingKey { case id, text, author_id, created_at, referenced_tweets, public_metrics }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            text = try? container.decodeIfPresent(String.self, forKey: .text)
            author_id = try? container.decodeIfPresent(String.self, forKey: .author_id)
            created_at = try? container.decodeIfPresent(String.self, forKey: .created_at)
            referenced_tweets = try? container.decodeIfPresent([Post.Reference].self, forKey: .referenced_tweets)
            if container.contains(.public_metrics) {
                counts = try? container.decode(Counts.self, forKey: .public_metrics).counts
                countsUnreadable = counts == nil
            }
        }

        var repliesTo: String? { referenced_tweets?.first { $0.type == "replied_to" }?.id }
        var quotes: String? { referenced_tweets?.first { $0.type == "quoted" }?.id }
    }

    /// `public_metrics` of a post; `impression_count` only where the API tier gives it.
    struct Counts: Decodable {
        var counts: PostCounts

        enum CodingKeys: String, CodingKey { case like_count, retweet_count, reply_count, quote_count, impression_count }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            counts = PostCounts(
                likes: try MetricCount.decode(container, .like_count), reposts: try MetricCount.decode(container, .retweet_count),
                replies: try MetricCount.decode(container, .reply_count), quotes: try MetricCount.decode(container, .quote_count),
                impressions: try MetricCount.decode(container, .impression_count)
            )
        }
    }

    static let postFields = "created_at,author_id,conversation_id,referenced_tweets,public_metrics"

    /// Posts mentioning the user after `sinceID`, newest first, a page of at most `count`.
    func mentions(of userID: String, since sinceID: String?, count: Int, pageToken: String?) async throws -> Page {
        var query = [("max_results", String(count)), ("tweet.fields", Self.postFields), ("expansions", "author_id"),
                     ("user.fields", "username,name,profile_image_url")]
        if let sinceID { query.append(("since_id", try Self.checkedID(sinceID))) }
        if let pageToken { query.append(("pagination_token", pageToken)) }
        return try Self.decode(Page.self, try await get("/2/users/\(try Self.checkedID(userID))/mentions", query))
    }

    /// Posts by id (at most 100), with their counts and authors.
    func posts(_ ids: [String]) async throws -> Page {
        let checked = try ids.map(Self.checkedID)
        return try Self.decode(Page.self, try await get("/2/tweets", [
            ("ids", checked.joined(separator: ",")), ("tweet.fields", Self.postFields), ("expansions", "author_id"),
            ("user.fields", "username,name,profile_image_url"),
        ]))
    }
}
