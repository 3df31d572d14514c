import Foundation

/// X's inbox: posts that mention the account, replies to its posts among them
/// (`GET /2/users/:id/mentions`, newest first, `since_id` the cursor). A conversation is the
/// post and the posts it replies to, read up the chain.
public struct XInboxReader: InboxReader {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    /// A channel just connected starts with the newest few, not the account's whole past.
    static let firstPage = 20
    static let pageSize = 100
    /// Pages read in one go; the rest in the next poll, from the cursor.
    static let mostPages = 5

    public func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        let client = try XConnector.client(account, http: http)
        var messages: [InboxMessage] = []
        var newest: String?
        var pageToken: String?
        // X pages from the newest back, so the cursor moves to the newest read even when more
        // remain: a burst beyond `mostPages` pages keeps its newest, and the next poll reads
        // what comes after, rather than the same pages for ever.
        for index in 0..<(cursor == nil ? 1 : Self.mostPages) {
            let page = try await client.mentions(of: account.accountID, since: cursor, count: cursor == nil ? Self.firstPage : Self.pageSize, pageToken: pageToken)
            if index == 0 { newest = page.meta?.newest_id }
            messages += Self.messages(page, account: account)
            pageToken = page.meta?.next_token.flatMap { $0.isEmpty || $0.count > 200 ? nil : $0 }
            guard pageToken != nil, cursor != nil else { break }
        }
        let next = newest.flatMap { try? XClient.checkedID($0) } ?? cursor
        return InboxReading(messages: messages.sorted { $0.createdAt < $1.createdAt }, counts: [], cursor: next, hasMore: false)
    }

    public func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        let client = try XConnector.client(account, http: http)
        var chain: [InboxMessage] = []
        var next: String? = remoteID
        // A long thread is shown from the last few posts.
        for _ in 0..<6 {
            guard let id = next else { break }
            let page = try await client.posts([id])
            guard let message = Self.messages(page, account: account).first else { break }
            chain.insert(message, at: 0)
            next = page.data?.first?.repliesTo
        }
        return chain
    }

    static func messages(_ page: XClient.Page, account: PublishingAccount) -> [InboxMessage] {
        let users = Dictionary((page.includes?.users ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return (page.data ?? []).compactMap { post -> InboxMessage? in
            guard (try? XClient.checkedID(post.id)) != nil, post.author_id != account.accountID else { return nil }
            let user = post.author_id.flatMap { users[$0] }
            let text = XClient.plain(String((post.text ?? "").prefix(10_000)))
            let author = InboxAuthor(name: user?.name ?? "Someone on X", handle: user?.username ?? "",
                                     avatarURL: user?.profile_image_url, profileURL: user.map { "https://x.com/\($0.username)" })
            return InboxMessage(
                remoteID: post.id, kind: post.repliesTo != nil ? .reply : post.quotes != nil ? .quote : .mention, author: author,
                text: text, html: SafeHTML.paragraphs(text), createdAt: post.created_at.flatMap(XClient.date) ?? Date(),
                url: XClient.webURL(of: post.id), inReplyTo: post.repliesTo
            )
        }
    }
}
