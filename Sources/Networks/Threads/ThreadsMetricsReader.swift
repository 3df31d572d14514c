import Foundation

/// Threads' own counts, which it gives the account of its posts (`GET /{post}/insights`:
/// views, likes, replies, reposts, quotes; one call a post) and of its followers
/// (`threads_insights`). Both need the `threads_manage_insights` permission.
public struct ThreadsMetricsReader: MetricsReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public var mostPostsPerReading: Int { 25 }

    public func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading {
        let client = try ThreadsConnector.client(account, http: http)
        return try await .onePostAtATime(remoteIDs, network: "Threads", isPostID: { (try? ThreadsClient.checkedID($0)) != nil }, read: { try await client.insights(of: $0) },
                                         place: { Self.place($0, of: $1, into: &$2) })
    }

    /// A post's insights as counts, or why they cannot be used.
    static func place(_ insights: [ThreadsClient.Insight], of id: String, into reading: inout MetricsReading) {
        guard let counts = MetaGraphClient.counts(insights, named: ThreadsClient.postMetrics) else {
            reading.unreadable[id] = insights.isEmpty ? "Threads gave no counts for this post." : "Threads sent counts that are not counts."
            return
        }
        reading.counts[id] = PostCounts(likes: counts["likes"], reposts: counts["reposts"], replies: counts["replies"], quotes: counts["quotes"],
                                        impressions: counts["views"])
    }

    public func followers(as account: PublishingAccount) async throws -> FollowerCount {
        let insight = try await ThreadsConnector.client(account, http: http).followers(of: account.accountID)
        guard let count = insight?.count else { throw NetworkError.unexpectedResponse("Threads sent a followers count that is not a count.") }
        return FollowerCount(followers: count)
    }
}
