import Foundation

/// Mastodon's counts of an account's statuses, one `GET /api/v1/statuses/:id` each (a few at a
/// time), and its followers from `verify_credentials`. Mastodon has no impressions.
public struct MastodonMetricsReader: MetricsReader {
    /// Statuses asked about at once, so a reading is quick without crowding the instance.
    static let concurrentRequests = 4

    public let mostPostsPerReading = 20
    public var notCounted: String? { "Mastodon counts no views, and quotes only from Mastodon 4.5 on." }
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading {
        let token = try Self.accessToken(of: account)
        let client = MastodonClient(instanceURL: account.server, http: http)
        var reading = MetricsReading()
        // An id that cannot be a status id is never sent; it is unreadable, not a reason to stop.
        var asked: [String] = []
        for id in Set(remoteIDs) {
            if asked.count >= mostPostsPerReading {
                reading.unreadable[id] = "More statuses were asked about at once than Trestle reads in one go; read again later."
            } else if (try? MastodonClient.pathSafe(id)) == nil {
                reading.unreadable[id] = "\(id.prefix(40)) is not a Mastodon status id."
            } else {
                asked.append(id)
            }
        }
        try await withThrowingTaskGroup(of: (String, MastodonClient.StatusCountsAnswer).self) { group in
            var next = asked.makeIterator()
            for _ in 0..<Self.concurrentRequests {
                guard let id = next.next() else { break }
                group.addTask { (id, try await client.statusCounts(id, accessToken: token)) }
            }
            while let (id, answer) = try await group.next() {
                switch answer {
                case let .counts(counts): reading.counts[id] = counts
                case .gone: reading.gone.insert(id)
                case let .unreadable(reason): reading.unreadable[id] = reason
                }
                if let id = next.next() {
                    group.addTask { (id, try await client.statusCounts(id, accessToken: token)) }
                }
            }
        }
        return reading
    }

    public func followers(as account: PublishingAccount) async throws -> FollowerCount {
        let client = MastodonClient(instanceURL: account.server, http: http)
        return FollowerCount(followers: try await client.followersCount(accessToken: try Self.accessToken(of: account)))
    }

    private static func accessToken(of account: PublishingAccount) throws -> String {
        guard let token = account.credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this account.")
        }
        return token
    }
}
