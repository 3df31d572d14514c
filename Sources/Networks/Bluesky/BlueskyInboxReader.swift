import Foundation
import TextRules

/// Bluesky's inbox: the account's notifications (`app.bsky.notification.listNotifications`).
/// Replies, mentions and quotes become messages; likes, reposts and follows are counted per
/// day; other reasons (starter packs, verification…) are left alone. A reading walks down from
/// the newest notifications to the ones read before, a few pages at a time, as
/// `BlueskyInboxCursor` explains.
///
/// Sessions come from `BlueskySessions`, shared with publishing; a refreshed session's refresh
/// token is handed back to keep, and an access token the service refuses is replaced once
/// before the refusal stands.
public struct BlueskyInboxReader: InboxReader {
    private let http: NetworkHTTPClient
    private let sessions: BlueskySessions
    private let pagesPerReading: Int

    /// The reasons read: the others are never asked for.
    static let reasons = ["reply", "mention", "quote", "like", "repost", "follow"]
    /// The lexicon's largest page.
    static let pageSize = 100
    /// How far around a message its conversation is shown, and how much of it at most.
    static let repliesDepth = 6
    static let parentHeight = 40
    static let mostInConversation = 200

    /// `pagesPerReading` bounds one reading; the app reads again at once while there is more.
    public init(http: NetworkHTTPClient, sessions: BlueskySessions, pagesPerReading: Int = 5) {
        self.http = http
        self.sessions = sessions
        self.pagesPerReading = max(1, pagesPerReading)
    }

    public func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        let client = BlueskyClient(serviceURL: account.server, http: http)
        return try await withSession(account, client) { session, credentials in
            var reading = try await read(after: BlueskyInboxCursor(cursor), client: client, session: session)
            reading.credentials = credentials
            return reading
        }
    }

    private func read(after cursor: BlueskyInboxCursor?, client: BlueskyClient, session: BlueskySession) async throws -> InboxReading {
        guard let cursor else {
            // A channel just connected: the newest page only, not the account's whole past.
            let page = try await client.notifications(reasons: Self.reasons, limit: Self.pageSize, cursor: nil, accessJwt: session.accessJwt)
            let next = BlueskyInboxCursor(seen: BlueskyInboxCursor.newest(of: page.notifications))
            return Self.reading(of: page.notifications, cursor: try next.text(), hasMore: false)
        }
        var pageCursor = cursor.resume?.page
        var top = cursor.resume?.top
        var heard: [BlueskyNotification] = []
        var walkEnded = false
        for _ in 0..<pagesPerReading {
            let page = try await client.notifications(reasons: Self.reasons, limit: Self.pageSize, cursor: pageCursor, accessJwt: session.accessJwt)
            // The walk's newest, with every id at its instant: they can run on over several pages.
            top = BlueskyInboxCursor.later(top, BlueskyInboxCursor.newest(of: page.notifications))
            for notification in page.notifications {
                if cursor.isBeforeSeen(notification) {
                    walkEnded = true
                    break
                }
                if !cursor.hasRead(notification) { heard.append(notification) }
            }
            // No older page, or one that would be this one again: the walk is at the bottom.
            guard !walkEnded, !page.notifications.isEmpty, let next = page.cursor, next != pageCursor else {
                walkEnded = true
                break
            }
            pageCursor = next
        }
        if walkEnded || top == nil {
            let next = BlueskyInboxCursor(seen: BlueskyInboxCursor.later(cursor.seen, top))
            return Self.reading(of: heard, cursor: try next.text(), hasMore: false)
        }
        guard let top, let pageCursor else { throw NetworkError.unexpectedResponse("Bluesky's notifications went on without a cursor.") }
        let next = BlueskyInboxCursor(seen: cursor.seen, resume: .init(page: pageCursor, top: top))
        return Self.reading(of: heard, cursor: try next.text(), hasMore: true)
    }

    /// The messages and counts of `notifications`, messages oldest first, each once.
    static func reading(of notifications: [BlueskyNotification], cursor: String, hasMore: Bool) -> InboxReading {
        let (messages, counts) = inbox(of: notifications)
        return InboxReading(messages: messages, counts: counts, cursor: cursor, hasMore: hasMore)
    }

    /// What an inbox keeps of a page of notifications: messages oldest first, each once, and
    /// the likes, reposts and follows counted per UTC day and post.
    public static func inbox(of notifications: [BlueskyNotification]) -> (messages: [InboxMessage], counts: [EngagementCount]) {
        var messages: [InboxMessage] = []
        var ids = Set<String>()
        var counts: [EngagementCount] = []
        var countIndex: [String: Int] = [:]
        for notification in notifications.sorted(by: { $0.indexedDate < $1.indexedDate }) {
            if let kind = EngagementCount.Kind(bluesky: notification.reason) {
                let day = BlueskyTime.day(notification.indexedDate)
                let subject = kind == .follow ? nil : notification.reasonSubject
                let key = "\(kind.rawValue) \(day) \(subject ?? "")"
                if let index = countIndex[key] {
                    counts[index].count += 1
                } else {
                    countIndex[key] = counts.count
                    counts.append(EngagementCount(kind: kind, day: day, subject: subject, count: 1))
                }
            } else if let message = message(of: notification), ids.insert(message.remoteID).inserted {
                messages.append(message)
            }
        }
        return (messages, counts)
    }

    /// A reply, mention or quote as an inbox message; nil for any other notification.
    static func message(of notification: BlueskyNotification) -> InboxMessage? {
        guard let post = notification.post else { return nil }
        let kind: InboxMessage.Kind
        switch notification.reason {
        case "reply": kind = .reply
        case "mention": kind = .mention
        case "quote": kind = .quote
        default: return nil
        }
        var made = message(uri: notification.uri, cid: notification.cid, author: notification.author, post: post, kind: kind, indexedAt: notification.indexedDate)
        if kind == .quote { made.inReplyTo = post.quoted?.uri ?? notification.reasonSubject }
        return made
    }

    /// A post as a message of `kind`.
    static func message(uri: String, cid: String, author: BlueskyActor, post: BlueskyPostContent, kind: InboxMessage.Kind, indexedAt: Date) -> InboxMessage {
        let profile = profileName(of: author)
        // A post says when it was written; one claiming a time after the service heard of it
        // is believed no further than that.
        let written = min(post.createdAt ?? indexedAt, indexedAt)
        return InboxMessage(
            remoteID: uri, cid: cid, kind: kind,
            author: InboxAuthor(
                name: author.displayName.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } ?? profile,
                handle: profile, avatarURL: author.avatar, profileURL: "https://bsky.app/profile/\(profile)"
            ),
            text: post.text, html: BlueskyRichText.html(post.text, facets: post.facets, hasUnreadableFacet: post.hasUnreadableFacet),
            createdAt: written, url: postURL(uri, profile: profile), inReplyTo: post.reply?.parent.uri,
            root: post.reply.map { PublishedPart(remoteID: $0.root.uri, url: nil, cid: $0.root.cid) }
        )
    }

    /// The author's handle, or their DID when the handle is not one (`handle.invalid`, which
    /// Bluesky shows for a handle that no longer checks out).
    static func profileName(of author: BlueskyActor) -> String {
        author.handle != "handle.invalid" && ATProtoSyntax.isValidHandle(author.handle) ? author.handle.lowercased() : author.did
    }

    /// `https://bsky.app/profile/<handle>/post/<rkey>` for a post's AT URI.
    static func postURL(_ uri: String, profile: String) -> String? {
        let parts = uri.dropFirst("at://".count).split(separator: "/", omittingEmptySubsequences: false)
        guard uri.hasPrefix("at://"), parts.count == 3, parts[1] == Substring(BlueskyPostRecord.type), ATProtoSyntax.isValidRecordKey(String(parts[2])) else {
            return nil
        }
        return "https://bsky.app/profile/\(profile)/post/\(parts[2])"
    }

    // MARK: Conversation

    public func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        guard ATProtoSyntax.isValidATURI(remoteID) else { return [] }
        // A thread under a popular post is larger than most answers Trestle reads.
        var http = http
        http.maximumResponseBytes = 8 << 20
        let client = BlueskyClient(serviceURL: account.server, http: http)
        let thread = try await withSession(account, client) { session, _ in
            try await client.postThread(uri: remoteID, depth: Self.repliesDepth, parentHeight: Self.parentHeight, accessJwt: session.accessJwt)
        }
        return Self.conversation(in: thread)
    }

    /// The thread's posts oldest first: the posts above, the post, then its replies, each
    /// after the one it answers; deleted and blocked posts left out.
    static func conversation(in thread: BlueskyThreadNode) -> [InboxMessage] {
        guard case let .post(view, parent, replies) = thread else { return [] }
        var above: [BlueskyPostView] = []
        var next = parent
        while case let .post(parentView, grandparent, _)? = next, above.count < mostInConversation / 2 {
            above.append(parentView)
            next = grandparent
        }
        var posts = Array(above.reversed()) + [view]
        // Depth first, so each reply follows the post it answers; a stack, not recursion,
        // however deep the service nests them.
        var stack = Array(replies.reversed())
        while let node = stack.popLast(), posts.count < mostInConversation {
            guard case let .post(reply, _, children) = node else { continue }
            posts.append(reply)
            stack.append(contentsOf: children.reversed())
        }
        return posts.map { view in
            let kind: InboxMessage.Kind = view.post.reply != nil ? .reply : view.post.quoted != nil ? .quote : .mention
            var made = message(uri: view.uri, cid: view.cid, author: view.author, post: view.post, kind: kind, indexedAt: view.indexedAt)
            if kind == .quote { made.inReplyTo = view.post.quoted?.uri }
            return made
        }
    }

    // MARK: Sessions

    /// Runs `work` with the account's session; when the service refuses its access token, once
    /// more with a fresh one. `work` gets the credentials to keep when the session changed them.
    private func withSession<T: Sendable>(
        _ account: PublishingAccount, _ client: BlueskyClient, _ work: (BlueskySession, NetworkCredentials?) async throws -> T
    ) async throws -> T {
        let (session, credentials) = try await sessions.session(for: account, client: client)
        do {
            return try await work(session, credentials)
        } catch NetworkError.unauthorized {
            await sessions.forget(session, of: account)
            let (fresh, rotated) = try await sessions.session(for: account, client: client)
            return try await work(fresh, rotated ?? credentials)
        }
    }
}

extension EngagementCount.Kind {
    /// The counted kind of a Bluesky notification's reason.
    init?(bluesky reason: String) {
        switch reason {
        case "like": self = .like
        case "repost": self = .repost
        case "follow": self = .follow
        default: return nil
        }
    }
}
