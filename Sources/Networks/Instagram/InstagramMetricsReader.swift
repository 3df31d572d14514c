import Foundation

/// Instagram's own counts, which it gives the account of its posts (`GET /{media}/insights`:
/// views, likes, comments; one call a post) and of its followers (`followers_count`). It has
/// no reposts or quotes.
public struct InstagramMetricsReader: MetricsReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public var mostPostsPerReading: Int { 25 }
    public var notCounted: String? { "Instagram has no reposts or quotes." }

    public func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading {
        let client = try InstagramConnector.client(account, http: http)
        return try await .onePostAtATime(remoteIDs, network: "Instagram", isPostID: { (try? InstagramClient.checkedID($0)) != nil }, read: { try await client.insights(of: $0) },
                                         place: { Self.place($0, of: $1, into: &$2) })
    }

    /// A post's insights as counts, or why they cannot be used.
    static func place(_ insights: [MetaGraphClient.Insight], of id: String, into reading: inout MetricsReading) {
        guard let counts = MetaGraphClient.counts(insights, named: InstagramClient.postMetrics) else {
            reading.unreadable[id] = insights.isEmpty ? "Instagram gave no counts for this post." : "Instagram sent counts that are not counts."
            return
        }
        reading.counts[id] = PostCounts(likes: counts["likes"], reposts: nil, replies: counts["comments"], quotes: nil, impressions: counts["views"])
    }

    public func followers(as account: PublishingAccount) async throws -> FollowerCount {
        let profile = try await InstagramConnector.client(account, http: http).me()
        guard let count = profile.followers_count.flatMap(MetricCount.whole) else {
            throw NetworkError.unexpectedResponse("Instagram sent a followers count that is not a count.")
        }
        return FollowerCount(followers: count)
    }
}
