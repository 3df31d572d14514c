import Foundation

/// Threads' inbox: the replies under the account's newest posts (`GET /{post}/conversation`,
/// nested replies included), the account's own left out, read as `RecentPostsInboxCursor` says.
public struct ThreadsInboxReader: InboxReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    static let repliesPerPost = 100

    public var leastPollInterval: TimeInterval { RecentPostsInboxCursor.leastPollInterval }

    public func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        let client = try ThreadsConnector.client(account, http: http)
        return try await RecentPostsInboxCursor.reading(under: try await client.posts(of: account.accountID, replies: false, since: nil, limit: RecentPostsInboxCursor.postsWatched), after: cursor) {
            Self.messages(try await client.conversation(of: $0.id, limit: Self.repliesPerPost))
        }
    }

    public func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        let client = try ThreadsConnector.client(account, http: http)
        var chain: [InboxMessage] = []
        var next: String? = remoteID
        // A long conversation is shown from its last few posts.
        for _ in 0..<6 {
            guard let id = next, let post = try await client.published(id) else { break }
            var shown = post
            shown.is_reply_owned_by_me = false
            guard let message = Self.messages([shown]).first else { break }
            chain.insert(message, at: 0)
            next = post.replied_to?.id
        }
        return chain
    }

    /// Replies as the inbox keeps them; the account's own, and any without a usable id, left out.
    static func messages(_ posts: [ThreadsClient.Post]) -> [InboxMessage] {
        posts.compactMap { post -> InboxMessage? in
            guard (try? ThreadsClient.checkedID(post.id)) != nil, post.is_reply_owned_by_me != true else { return nil }
            let username = String((post.username ?? "").prefix(100))
            let safeName = username.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_") } ? username : ""
            let text = String((post.text ?? "").prefix(10_000))
            let author = InboxAuthor(name: safeName.isEmpty ? "Someone on Threads" : safeName, handle: safeName, avatarURL: nil,
                                     profileURL: safeName.isEmpty ? nil : "https://www.threads.net/@\(safeName)")
            let parent = post.replied_to.flatMap { try? ThreadsClient.checkedID($0.id) }
            return InboxMessage(
                remoteID: post.id, kind: .reply, author: author, text: text,
                html: SafeHTML.paragraphs(text), createdAt: post.timestamp.flatMap(MetaGraphClient.date) ?? Date(),
                url: post.permalink.flatMap(InboxAuthor.webAddress), inReplyTo: parent
            )
        }
    }
}
