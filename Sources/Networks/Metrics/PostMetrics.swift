import Foundation

/// What a network counts for one post of the account's. A count the network does not give is
/// nil (Mastodon has no impressions; servers before Mastodon 4.5 no quotes), never 0.
public struct PostCounts: Sendable, Equatable {
    public var likes: Int?
    public var reposts: Int?
    public var replies: Int?
    public var quotes: Int?
    public var impressions: Int?

    public init(likes: Int?, reposts: Int?, replies: Int?, quotes: Int?, impressions: Int?) {
        self.likes = likes
        self.reposts = reposts
        self.replies = replies
        self.quotes = quotes
        self.impressions = impressions
    }
}

/// One reading of some of the account's posts. Every id asked about is in exactly one of
/// `counts`, `gone` and `unreadable`, so one bad post never keeps the others from being read.
public struct MetricsReading: Sendable {
    /// The counts per remote id (Mastodon status id, AT URI).
    public var counts: [String: PostCounts]
    /// Posts the network no longer has (deleted, or no longer shown to the account): there is
    /// nothing more to read of them.
    public var gone: Set<String>
    /// Posts whose answer could not be used this time, with why in words a person can act on;
    /// they are read again later.
    public var unreadable: [String: String]
    /// When the network rotated them, the credentials to keep.
    public var credentials: NetworkCredentials?

    public init(counts: [String: PostCounts] = [:], gone: Set<String> = [], unreadable: [String: String] = [:], credentials: NetworkCredentials? = nil) {
        self.counts = counts
        self.gone = gone
        self.unreadable = unreadable
        self.credentials = credentials
    }
}

extension MetricsReading {
    /// A reading made one post at a time, where the network counts one post a call: an id that
    /// is not one of `network`'s is unreadable, one `read` finds gone (nil) is gone, and what it
    /// reads of the rest is placed by `place`.
    static func onePostAtATime<Answer>(
        _ remoteIDs: [String], network: String, isPostID: (String) -> Bool, read: (String) async throws -> Answer?,
        place: (Answer, String, inout MetricsReading) -> Void
    ) async throws -> MetricsReading {
        var reading = MetricsReading()
        for id in Set(remoteIDs) {
            guard isPostID(id) else {
                reading.unreadable[id] = "“\(id.prefix(40))” is not a \(network) post."
                continue
            }
            guard let answer = try await read(id) else {
                reading.gone.insert(id)
                continue
            }
            place(answer, id, &reading)
        }
        return reading
    }
}

/// How many accounts follow the account, as read now.
public struct FollowerCount: Sendable, Equatable {
    public var followers: Int
    /// When the network rotated them, the credentials to keep.
    public var credentials: NetworkCredentials?

    public init(followers: Int, credentials: NetworkCredentials? = nil) {
        self.followers = followers
        self.credentials = credentials
    }
}

/// One network's way of reading its own counts of an account's posts and followers. Errors
/// are `NetworkError`s and stand for the whole call (credentials refused, the server down or
/// asking to wait); what concerns one post alone is said in the `MetricsReading`.
public protocol MetricsReader: Sendable {
    /// The most ids one `metrics(of:as:)` takes; callers ask in batches of this size.
    var mostPostsPerReading: Int { get }

    /// What the network does not count, in a sentence shown beside a post's counts where one
    /// is missing ("Mastodon counts no views…"); nil when it counts everything.
    var notCounted: String? { get }

    /// The counts of the account's posts with these remote ids.
    func metrics(of remoteIDs: [String], as account: PublishingAccount) async throws -> MetricsReading

    /// How many follow the account.
    func followers(as account: PublishingAccount) async throws -> FollowerCount
}

extension MetricsReader {
    public var notCounted: String? { nil }
}
