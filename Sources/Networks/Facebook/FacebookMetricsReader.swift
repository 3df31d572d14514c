import Foundation

/// A Facebook Page's counts of its posts — reactions as likes, comments, shares — read from
/// each post's summaries, one call a post; followers from the Page.
public struct FacebookMetricsReader: MetricsReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public var mostPostsPerReading: Int { 25 }
    public var notCounted: String? { "Facebook gives a post's views only in Page insights, which Trestle does not read yet, and has no quotes." }

    public func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading {
        let client = try FacebookConnector.client(account, http: http)
        return try await .onePostAtATime(remoteIDs, network: "Facebook", isPostID: { (try? FacebookClient.checkedPostID($0)) != nil }, read: { try await client.post($0, fields: FacebookClient.countFields) },
                                         place: { Self.place($0, of: $1, into: &$2) })
    }

    /// A post's summaries as counts, or why they cannot be used. Facebook leaves `shares` out
    /// of a post nobody shared.
    static func place(_ post: FacebookClient.Post, of id: String, into reading: inout MetricsReading) {
        guard let reactions = post.reactions?.summary?.total_count, let comments = post.comments?.summary?.total_count else {
            reading.unreadable[id] = "Facebook gave no counts for this post."
            return
        }
        guard let likes = MetricCount.whole(reactions), let replies = MetricCount.whole(comments),
              let shares = MetricCount.whole(post.shares?.count ?? 0) else {
            reading.unreadable[id] = "Facebook sent counts that are not counts."
            return
        }
        reading.counts[id] = PostCounts(likes: likes, reposts: shares, replies: replies, quotes: nil, impressions: nil)
    }

    public func followers(as account: PublishingAccount) async throws -> FollowerCount {
        let page = try await FacebookConnector.client(account, http: http).page()
        guard let count = page.followers_count.flatMap(MetricCount.whole) else {
            throw NetworkError.unexpectedResponse("Facebook sent a followers count that is not a count.")
        }
        return FollowerCount(followers: count)
    }
}
