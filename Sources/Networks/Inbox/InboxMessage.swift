import Foundation

/// Something a person said to or about an account on its network, as an inbox shows it: a reply
/// to one of its posts, a mention, a quote, or a direct message.
public struct InboxMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Answers one of the account's posts.
        case reply
        /// Names the account without answering one of its posts.
        case mention
        /// Quotes one of the account's posts.
        case quote
        /// A direct message: seen by the account alone.
        case message
    }

    /// The network's id of the post that says it (Mastodon status id, AT URI); an item is kept
    /// once per channel and id, however often it is read.
    public var remoteID: String
    /// A content hash a reply to it must name (Bluesky's CID).
    public var cid: String?
    public var kind: Kind
    public var author: InboxAuthor
    /// The words, without markup.
    public var text: String
    /// The words as the network shows them, links, mentions and tags included, as HTML that is
    /// safe to put in a page: only `p`, `br` and `a` with an http(s) `href` (see `SafeHTML`).
    public var html: String
    public var createdAt: Date
    /// Its page on the network.
    public var url: String?
    /// The post it answers or quotes (the account's own when kind is reply or quote).
    public var inReplyTo: String?
    /// The first post of its conversation, with its hash, where the network needs both to
    /// reply (Bluesky's reply root); nil when the message starts the conversation.
    public var root: PublishedPart?

    public init(
        remoteID: String, cid: String? = nil, kind: Kind, author: InboxAuthor, text: String, html: String, createdAt: Date,
        url: String?, inReplyTo: String?, root: PublishedPart? = nil
    ) {
        self.remoteID = remoteID
        self.cid = cid
        self.kind = kind
        self.author = author
        self.text = text
        self.html = html
        self.createdAt = createdAt
        self.url = url
        self.inReplyTo = inReplyTo
        self.root = root
    }
}

/// Who wrote a message, as the network shows them.
public struct InboxAuthor: Sendable, Equatable {
    /// The display name, or the handle when there is none.
    public var name: String
    /// `user@instance` on Mastodon, `user.bsky.social` on Bluesky; no leading `@`.
    public var handle: String
    /// Their picture, only when it is an http(s) address.
    public var avatarURL: String?
    /// Their profile page, only when it is an http(s) address.
    public var profileURL: String?

    /// Any other address a service names (`javascript:`, `data:`, garbage) is dropped here, so
    /// no reader has to remember to.
    public init(name: String, handle: String, avatarURL: String?, profileURL: String?) {
        self.name = name
        self.handle = handle
        self.avatarURL = Self.webAddress(avatarURL)
        self.profileURL = Self.webAddress(profileURL)
    }

    /// `address` when it is an http(s) address, else nil.
    public static func webAddress(_ address: String?) -> String? {
        guard let address, let scheme = URL(string: address)?.scheme?.lowercased(), scheme == "https" || scheme == "http" else { return nil }
        return address
    }
}

/// What people did that is counted rather than answered: likes, boosts or reposts, follows.
public struct EngagementCount: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A favourite on Mastodon, a like on Bluesky.
        case like
        /// A boost on Mastodon, a repost on Bluesky.
        case repost
        case follow
    }

    public var kind: Kind
    /// The day it happened, in UTC, as `yyyy-MM-dd`.
    public var day: String
    /// The account's post it was about (follows have none).
    public var subject: String?
    public var count: Int

    public init(kind: Kind, day: String, subject: String?, count: Int) {
        self.kind = kind
        self.day = day
        self.subject = subject
        self.count = count
    }
}

/// One reading of an account's notifications: what came since the cursor, and the cursor to
/// read from next time. The caller stores the messages, counts and cursor together, so nothing
/// is read twice or missed across restarts.
public struct InboxReading: Sendable {
    public var messages: [InboxMessage]
    public var counts: [EngagementCount]
    /// Where the next reading starts; opaque to the caller.
    public var cursor: String?
    /// More is waiting beyond what one reading takes: read again at once.
    public var hasMore: Bool
    /// When the network rotated them, the credentials to keep.
    public var credentials: NetworkCredentials?

    public init(messages: [InboxMessage], counts: [EngagementCount], cursor: String?, hasMore: Bool, credentials: NetworkCredentials? = nil) {
        self.messages = messages
        self.counts = counts
        self.cursor = cursor
        self.hasMore = hasMore
        self.credentials = credentials
    }
}

/// One network's way of hearing what people say to an account. Errors are `NetworkError`s.
public protocol InboxReader: Sendable {
    /// What came after `cursor`, oldest first, a bounded amount at a time. With no cursor (a
    /// channel just connected) only the newest page is read, so an inbox does not start with
    /// the account's whole past.
    func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading

    /// The conversation a message belongs to, oldest first, to show it in context; the
    /// message itself included.
    func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage]

    /// An answer's text as the network needs it to reach the author (Mastodon: their handle
    /// mentioned); the text as written where nothing is needed.
    func answerText(_ text: String, answering author: InboxAuthor) -> String

    /// The least time between two readings of one account, where a reading costs many calls
    /// against a small allowance (reading under each recent post); 0 where
    /// `TRESTLE_INBOX_POLL_SECONDS` alone decides.
    var leastPollInterval: TimeInterval { get }
}

extension InboxReader {
    public func answerText(_ text: String, answering author: InboxAuthor) -> String { text }

    public var leastPollInterval: TimeInterval { 0 }
}
