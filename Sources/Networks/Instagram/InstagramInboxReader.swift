import Foundation

/// Instagram's inbox: the comments under the account's newest posts and the replies to them
/// (`GET /{media}/comments` with `replies`), the account's own left out, read as
/// `RecentPostsInboxCursor` says. A reply names the comment it answers as its root, since Instagram
/// replies only to top-level comments.
public struct InstagramInboxReader: InboxReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    static let commentsPerPost = 50

    public var leastPollInterval: TimeInterval { RecentPostsInboxCursor.leastPollInterval }

    public func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        let client = try InstagramConnector.client(account, http: http)
        return try await RecentPostsInboxCursor.reading(under: try await client.media(of: account.accountID, since: nil, limit: RecentPostsInboxCursor.postsWatched), after: cursor) {
            Self.messages(try await client.comments(on: $0.id, limit: Self.commentsPerPost), on: $0.id, account: account)
        }
    }

    public func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        let client = try InstagramConnector.client(account, http: http)
        guard let comment = try await client.comment(remoteID) else { return [] }
        var chain: [InboxMessage] = []
        if let parentID = comment.parent_id, let parent = try await client.comment(parentID) {
            chain += Self.messages([parent], on: nil, account: account, keepingOwn: true)
        }
        return chain + Self.messages([comment], on: nil, account: account, keepingOwn: true)
    }

    /// Comments and their replies as the inbox keeps them; the account's own, and any without a
    /// usable id, left out.
    static func messages(_ comments: [InstagramClient.Comment], on media: String?, account: PublishingAccount, keepingOwn: Bool = false) -> [InboxMessage] {
        var messages: [InboxMessage] = []
        for comment in comments {
            if let message = message(comment, answering: comment.parent_id ?? media, root: comment.parent_id, account: account, keepingOwn: keepingOwn) {
                messages.append(message)
            }
            for reply in (comment.replies?.data ?? []).prefix(100) {
                if let message = message(reply, answering: comment.id, root: comment.id, account: account, keepingOwn: keepingOwn) { messages.append(message) }
            }
        }
        return messages
    }

    private static func message(_ comment: InstagramClient.Comment, answering parent: String?, root: String?, account: PublishingAccount, keepingOwn: Bool) -> InboxMessage? {
        guard (try? InstagramClient.checkedID(comment.id)) != nil, keepingOwn || comment.from?.id != account.accountID else { return nil }
        let username = String((comment.username ?? comment.from?.username ?? "").prefix(100))
        let handle = username.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_") } ? username : ""
        let text = String((comment.text ?? "").prefix(10_000))
        let author = InboxAuthor(name: handle.isEmpty ? "Someone on Instagram" : handle, handle: handle, avatarURL: nil,
                                 profileURL: handle.isEmpty ? nil : "https://www.instagram.com/\(handle)/")
        let parentID = parent.flatMap { try? InstagramClient.checkedID($0) }
        let rootID = root.flatMap { try? InstagramClient.checkedID($0) }
        return InboxMessage(
            remoteID: comment.id, kind: .reply, author: author, text: text, html: SafeHTML.paragraphs(text),
            createdAt: comment.timestamp.flatMap(MetaGraphClient.date) ?? Date(), url: nil, inReplyTo: parentID,
            root: rootID.map { PublishedPart(remoteID: $0, url: nil) }
        )
    }
}
