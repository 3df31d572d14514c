import Foundation

/// How an inbox is read where the network has no feed of what is said to an account (Threads,
/// Instagram, Facebook Pages, LinkedIn): each poll reads the replies or comments under the
/// account's newest posts. The cursor is the time of the newest one read (whole seconds, as the networks give
/// them); what is at that second is read again and kept once, so nothing said in the same
/// second is missed.
enum RecentPostsInboxCursor {
    /// The account's newest posts whose replies or comments are read each poll.
    static let postsWatched = 10
    /// How often at most such an inbox is read: each reading costs a call a post watched, and
    /// Meta's hourly allowances are counted per account.
    static let leastPollInterval: TimeInterval = 5 * 60
    /// A channel just connected starts with the newest few, not the account's whole past.
    static let firstReading = 20

    /// The time a cursor stands for; nil for none, or one that is not a time.
    static func since(_ cursor: String?) -> Date? {
        cursor.flatMap(Double.init).flatMap { $0.isFinite && $0 >= 0 && $0 < 1e11 ? Date(timeIntervalSince1970: $0) : nil }
    }

    /// What was said under each of `posts` (the account's newest, `postsWatched` of them)
    /// since the cursor.
    static func reading<Post>(under posts: [Post], after cursor: String?, messages: (Post) async throws -> [InboxMessage]) async throws -> InboxReading {
        var said: [InboxMessage] = []
        for post in posts.prefix(postsWatched) { said += try await messages(post) }
        return reading(said, after: cursor)
    }

    /// The messages since the cursor, each once and oldest first, and the cursor to read from
    /// next.
    static func reading(_ messages: [InboxMessage], after cursor: String?, now: Date = Date()) -> InboxReading {
        let since = since(cursor)
        var seen = Set<String>()
        var kept = messages.filter { message in since.map { message.createdAt >= $0 } ?? true }
            .filter { seen.insert($0.remoteID).inserted }.sorted { $0.createdAt < $1.createdAt }
        if since == nil { kept = Array(kept.suffix(firstReading)) }
        // With nothing read yet, the next reading starts from now rather than the past.
        let newest = kept.map(\.createdAt).max() ?? since ?? now
        return InboxReading(messages: kept, counts: [], cursor: String(Int(newest.timeIntervalSince1970)), hasMore: false)
    }
}
