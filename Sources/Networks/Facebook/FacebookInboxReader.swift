import Foundation

/// A Facebook Page's inbox: the comments under its newest posts and the replies to them
/// (`GET /{post}/comments?filter=stream`), the Page's own left out, read as `RecentPostsInboxCursor`
/// says. A reply names the comment it answers as its root, where an answer is made.
public struct FacebookInboxReader: InboxReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    static let commentsPerPost = 100

    public var leastPollInterval: TimeInterval { RecentPostsInboxCursor.leastPollInterval }

    public func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        let client = try FacebookConnector.client(account, http: http)
        return try await RecentPostsInboxCursor.reading(under: try await client.posts(of: account.accountID, since: nil, limit: RecentPostsInboxCursor.postsWatched), after: cursor) {
            Self.messages(try await client.comments(on: $0.id, limit: Self.commentsPerPost), on: $0.id, account: account)
        }
    }

    public func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        let client = try FacebookConnector.client(account, http: http)
        guard let comment = try await client.comment(remoteID) else { return [] }
        var chain = [comment]
        if let parentID = comment.parent?.id, let parent = try await client.comment(parentID) { chain.insert(parent, at: 0) }
        return Self.messages(chain, on: nil, account: account, keepingOwn: true)
    }

    /// Comments as the inbox keeps them; the Page's own, and any without a usable id, left out.
    static func messages(_ comments: [FacebookClient.Comment], on post: String?, account: PublishingAccount, keepingOwn: Bool = false) -> [InboxMessage] {
        comments.compactMap { comment -> InboxMessage? in
            guard (try? FacebookClient.checkedPostID(comment.id)) != nil, keepingOwn || comment.from?.id != account.accountID else { return nil }
            let name = String((comment.from?.name ?? "").prefix(200))
            let text = String((comment.message ?? "").prefix(10_000))
            let parent = comment.parent.flatMap { try? FacebookClient.checkedPostID($0.id) }
            return InboxMessage(
                remoteID: comment.id, kind: .reply, author: InboxAuthor(name: name.isEmpty ? "Someone on Facebook" : name, handle: "", avatarURL: nil, profileURL: nil),
                text: text, html: SafeHTML.paragraphs(text), createdAt: comment.created_time.flatMap(MetaGraphClient.date) ?? Date(),
                url: comment.permalink_url.flatMap(InboxAuthor.webAddress), inReplyTo: parent ?? post.flatMap { try? FacebookClient.checkedPostID($0) },
                root: parent.map { PublishedPart(remoteID: $0, url: nil) }
            )
        }
    }
}
