import Foundation

/// Bluesky's counts of an account's posts (`app.bsky.feed.getPosts`, 25 a call) and its
/// followers (`app.bsky.actor.getProfile`). Bluesky shows no impressions.
///
/// The app view leaves out a post it does not have; that alone does not make the post gone (the
/// app view may lag or hide it for a while), so the account's own repository is asked
/// (`com.atproto.repo.getRecord`): only a record it no longer has is gone.
///
/// Sessions come from `BlueskySessions`, shared with publishing and the inbox; a refreshed
/// session's refresh token is handed back to keep, and an access token the service refuses is
/// replaced once before the refusal stands.
public struct BlueskyMetricsReader: MetricsReader {
    public let mostPostsPerReading = BlueskyClient.mostPostsPerCall
    public var notCounted: String? { "Bluesky counts no views." }
    private let http: NetworkHTTPClient
    private let sessions: BlueskySessions

    public init(http: NetworkHTTPClient, sessions: BlueskySessions) {
        self.http = http
        self.sessions = sessions
    }

    public func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading {
        let client = BlueskyClient(serviceURL: account.server, http: http)
        var reading = MetricsReading()
        var asked: [String] = []
        for uri in Set(remoteIDs) {
            if asked.count >= mostPostsPerReading {
                reading.unreadable[uri] = "More posts were asked about at once than Bluesky answers (\(mostPostsPerReading)); read again later."
            } else if Self.recordKey(of: uri, in: account) == nil {
                reading.unreadable[uri] = "\(uri.prefix(80)) is not a post of this account."
            } else {
                asked.append(uri)
            }
        }
        guard !asked.isEmpty else { return reading }
        return try await sessions.withSession(for: account, client: client) { session, credentials in
            var result = reading
            result.credentials = credentials
            let answer = try await client.postCounts(of: asked, accessJwt: session.accessJwt)
            for uri in asked {
                if let counts = answer.counts[uri] {
                    result.counts[uri] = counts
                } else if answer.unreadable.contains(uri) {
                    result.unreadable[uri] = "Bluesky answered with counts that are not the AT Protocol's (negative or out of range)."
                } else if let rkey = Self.recordKey(of: uri, in: account),
                          try await client.post(repo: account.accountID, rkey: rkey, accessJwt: session.accessJwt) == nil {
                    result.gone.insert(uri)
                } else {
                    result.unreadable[uri] = "Bluesky did not show this post, though the account still has it; it is read again later."
                }
            }
            return result
        }
    }

    public func followers(as account: PublishingAccount) async throws -> FollowerCount {
        let client = BlueskyClient(serviceURL: account.server, http: http)
        return try await sessions.withSession(for: account, client: client) { session, credentials in
            FollowerCount(followers: try await client.followersCount(of: account.accountID, accessJwt: session.accessJwt), credentials: credentials)
        }
    }

    /// The record key of `uri` when it names a post in the account's own repository
    /// (`at://<did>/app.bsky.feed.post/<rkey>`); nil for anything else.
    static func recordKey(of uri: String, in account: PublishingAccount) -> String? {
        let prefix = "at://\(account.accountID)/\(BlueskyPostRecord.type)/"
        guard uri.utf8.count <= BlueskyPostCounts.longestURI, uri.hasPrefix(prefix) else { return nil }
        let rkey = uri.dropFirst(prefix.count)
        guard (1...512).contains(rkey.utf8.count), rkey.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x2F }) else { return nil }
        return String(rkey)
    }
}
