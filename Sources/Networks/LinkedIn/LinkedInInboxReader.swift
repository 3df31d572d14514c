import Foundation

/// LinkedIn's inbox: the comments on the author's newest posts and the replies to them
/// (`socialActions/{post}/comments`), the author's own left out, read as
/// `RecentPostsInboxCursor` says. LinkedIn shows an app who commented only by URN.
public struct LinkedInInboxReader: InboxReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    static let commentsPerPost = 100

    /// LinkedIn's limits are daily and small: read a quarter of an hour apart at most.
    public var leastPollInterval: TimeInterval { 15 * 60 }

    public func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        let client = try LinkedInConnector.client(account, http: http)
        return try await RecentPostsInboxCursor.reading(under: try await client.posts(by: account.accountID, count: RecentPostsInboxCursor.postsWatched), after: cursor) {
            Self.messages(try await client.comments(on: $0.id, count: Self.commentsPerPost), on: $0.id, account: account)
        }
    }

    public func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        // LinkedIn reads a comment only with its post's: the inbox shows the item as it was kept.
        []
    }

    /// Comments as the inbox keeps them: each answers its parent comment or the post, whose
    /// URN is its root; the author's own and any without a usable URN left out.
    static func messages(_ comments: [LinkedInClient.Comment], on post: String, account: PublishingAccount) -> [InboxMessage] {
        comments.compactMap { comment -> InboxMessage? in
            guard let urn = comment.commentUrn.flatMap({ try? LinkedInClient.checkedURN($0) }), comment.actor != account.accountID,
                  let postURN = try? LinkedInClient.checkedURN(post) else { return nil }
            let text = String((comment.message?.text ?? "").prefix(10_000))
            let parent = comment.parentComment.flatMap { try? LinkedInClient.checkedURN($0) }
            let time = comment.created?.time.flatMap { $0.isFinite && $0 > 0 && $0 < 1e14 ? Date(timeIntervalSince1970: $0 / 1_000) : nil }
            return InboxMessage(
                remoteID: urn, kind: .reply, author: InboxAuthor(name: "Someone on LinkedIn", handle: "", avatarURL: nil, profileURL: nil),
                text: text, html: SafeHTML.paragraphs(text), createdAt: time ?? Date(), url: LinkedInClient.webURL(of: postURN),
                inReplyTo: parent ?? postURN, root: PublishedPart(remoteID: postURN, url: nil)
            )
        }
    }
}
