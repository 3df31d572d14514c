import Foundation

/// LinkedIn's counts of a post — likes and comments (`socialActions/{post}`), one call a post —
/// and an organisation's followers (`networkSizes`). Reposts and views are in organisation
/// share statistics, which Trestle does not read yet; a member's followers LinkedIn does not give.
public struct LinkedInMetricsReader: MetricsReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public var mostPostsPerReading: Int { 25 }
    public var notCounted: String? { "LinkedIn gives reposts and views only in organisation statistics, which Trestle does not read yet." }

    public func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading {
        let client = try LinkedInConnector.client(account, http: http)
        return try await .onePostAtATime(remoteIDs, network: "LinkedIn", isPostID: { (try? LinkedInClient.checkedURN($0)) != nil }, read: { try await client.summary(of: $0) },
                                         place: { Self.place($0, of: $1, into: &$2) })
    }

    static func place(_ summary: LinkedInClient.Summary, of id: String, into reading: inout MetricsReading) {
        guard let likes = summary.likesSummary?.totalLikes.flatMap(MetricCount.whole),
              let comments = summary.commentsSummary?.aggregatedTotalComments.flatMap(MetricCount.whole) else {
            reading.unreadable[id] = "LinkedIn sent counts that are not counts."
            return
        }
        reading.counts[id] = PostCounts(likes: likes, reposts: nil, replies: comments, quotes: nil, impressions: nil)
    }

    public func followers(as account: PublishingAccount) async throws -> FollowerCount {
        guard account.accountID.hasPrefix("urn:li:organization:") else {
            throw NetworkError.rejected(status: 403, message: "LinkedIn gives follower counts only for organisation pages.")
        }
        guard let count = try await LinkedInConnector.client(account, http: http).followers(of: account.accountID).flatMap(MetricCount.whole) else {
            throw NetworkError.unexpectedResponse("LinkedIn sent a followers count that is not a count.")
        }
        return FollowerCount(followers: count)
    }
}
