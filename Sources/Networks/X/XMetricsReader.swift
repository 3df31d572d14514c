import Foundation

/// X's own counts: `public_metrics` of up to 100 posts a call (`GET /2/tweets`); impressions
/// only where the operator's API tier gives them (otherwise absent, never 0); followers from
/// the account (`GET /2/users/me`).
public struct XMetricsReader: MetricsReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public var mostPostsPerReading: Int { 100 }
    public var notCounted: String? { "X gives views only to API access levels that include them; the operator's does not." }

    public func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading {
        var reading = MetricsReading()
        let asked = remoteIDs.filter { (try? XClient.checkedID($0)) != nil }
        for id in remoteIDs where !asked.contains(id) { reading.unreadable[id] = "“\(id.prefix(40))” is not an X post id." }
        guard !asked.isEmpty else { return reading }
        let page = try await XConnector.client(account, http: http).posts(asked)
        return Self.reading(page, asked: asked, into: reading)
    }

    /// What a page of posts says of the ids asked: each in exactly one of counts, gone and
    /// unreadable.
    static func reading(_ page: XClient.Page, asked: [String], into reading: MetricsReading = MetricsReading()) -> MetricsReading {
        var reading = reading
        // Counts win over anything else said of a post; then its being gone; a post named twice
        // is placed once.
        for post in page.data ?? [] where asked.contains(post.id) && reading.counts[post.id] == nil {
            if let counts = post.counts {
                reading.counts[post.id] = counts
                reading.unreadable[post.id] = nil
            } else if reading.unreadable[post.id] == nil {
                reading.unreadable[post.id] = post.countsUnreadable ? "X sent counts that are not counts." : "X gave no counts for this post."
            }
        }
        for problem in page.errors ?? [] {
            guard let id = problem.resource_id ?? problem.value, asked.contains(id), reading.counts[id] == nil, !reading.gone.contains(id) else { continue }
            // Deleted, or from an account that is now private or suspended: nothing more to read.
            if problem.type?.hasSuffix("resource-not-found") == true || problem.type?.hasSuffix("not-authorized-for-resource") == true {
                reading.gone.insert(id)
                reading.unreadable[id] = nil
            } else if reading.unreadable[id] == nil {
                reading.unreadable[id] = String((problem.detail ?? "X could not read this post.").prefix(300))
            }
        }
        for id in asked where reading.counts[id] == nil && !reading.gone.contains(id) && reading.unreadable[id] == nil {
            reading.unreadable[id] = "X did not answer for this post."
        }
        return reading
    }

    public func followers(as account: PublishingAccount) async throws -> FollowerCount {
        let user = try await XConnector.client(account, http: http).me()
        guard let count = user.public_metrics?.followers_count, count.rounded(.towardZero) == count, count >= 0, count <= Double(MetricCount.largest) else {
            throw NetworkError.unexpectedResponse("X sent a followers count that is not a count.")
        }
        return FollowerCount(followers: Int(count))
    }
}
