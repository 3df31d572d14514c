import Foundation
import NIOHTTP1
import Synchronization
import TextRules

/// Hearing what people say to an account: its notifications
/// (`app.bsky.notification.listNotifications`) and a post's thread
/// (`app.bsky.feed.getPostThread`), read from the account's service, which passes them on
/// from the Bluesky app view.
///
/// Everything in them was written by someone else: each string and list is bounded while it is
/// decoded, and an answer that is not the lexicon's shape is a `NetworkError.unexpectedResponse`.
extension BlueskyClient {
    /// One page of the account's notifications, newest first; `cursor` (from the page before)
    /// pages to older ones.
    public func notifications(reasons: [String], limit: Int, cursor: String?, accessJwt: String) async throws -> BlueskyNotificationPage {
        var components = URLComponents(url: url("app.bsky.notification.listNotifications"), resolvingAgainstBaseURL: false)!
        var query = [URLQueryItem(name: "limit", value: String(min(max(limit, 1), 100)))]
        query += reasons.map { URLQueryItem(name: "reasons", value: $0) }
        if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
        components.queryItems = query
        let response = try await http.send(.GET, components.url!, headers: ["Authorization": "Bearer \(accessJwt)", "Accept": "application/json"])
        try check(response)
        return try BlueskyNotificationPage.decode(response.body)
    }

    /// The thread around the post at `uri`: `parentHeight` posts above it and replies
    /// `depth` levels below.
    public func postThread(uri: String, depth: Int, parentHeight: Int, accessJwt: String) async throws -> BlueskyThreadNode {
        var components = URLComponents(url: url("app.bsky.feed.getPostThread"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "uri", value: uri), URLQueryItem(name: "depth", value: String(depth)),
            URLQueryItem(name: "parentHeight", value: String(parentHeight)),
        ]
        let response = try await http.send(.GET, components.url!, headers: ["Authorization": "Bearer \(accessJwt)", "Accept": "application/json"])
        if response.status == 400, (try? JSONDecoder().decode(XRPCError.self, from: response.body))?.error == "NotFound" {
            // Deleted since it was heard: there is no conversation left to show.
            return .notFound(uri: uri)
        }
        try check(response)
        return try BlueskyThreadNode.decode(response.body)
    }
}

/// A page of `app.bsky.notification.listNotifications`.
public struct BlueskyNotificationPage: Decodable, Sendable {
    /// Newest first.
    public var notifications: [BlueskyNotification]
    /// Where the next, older page starts; none at the end.
    public var cursor: String?

    /// More than the lexicon's 100 a page is refused: the service does not follow it.
    static let mostNotifications = 100

    enum CodingKeys: String, CodingKey { case notifications, cursor }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .notifications)
        guard (list.count ?? 0) <= Self.mostNotifications else { throw BlueskyBounds.corrupted("too many notifications") }
        notifications = []
        while !list.isAtEnd { notifications.append(try list.decode(BlueskyNotification.self)) }
        cursor = try container.decodeIfPresent(String.self, forKey: .cursor)
        if let cursor, !(1...BlueskyBounds.longestCursor).contains(cursor.utf8.count) { throw BlueskyBounds.corrupted("cursor") }
    }

    /// A page from the bytes of the service's answer.
    public static func decode(_ body: Data) throws -> BlueskyNotificationPage {
        do {
            return try JSONDecoder().decode(Self.self, from: body)
        } catch {
            throw NetworkError.unexpectedResponse("The service's notifications are not the AT Protocol's (app.bsky.notification.listNotifications); is this a Bluesky service?")
        }
    }
}

/// One notification (`app.bsky.notification.listNotifications#notification`): who did what,
/// and the record they made doing it (a post for replies, mentions and quotes).
public struct BlueskyNotification: Decodable, Sendable {
    /// The record's AT URI: the post, like, repost or follow.
    public var uri: String
    public var cid: String
    public var author: BlueskyActor
    /// `reply`, `mention`, `quote`, `like`, `repost`, `follow`, or another the lexicon knows.
    public var reason: String
    /// The account's record it is about (the post liked, replied to or quoted).
    public var reasonSubject: String?
    /// The post, when the record is one.
    public var post: BlueskyPostContent?
    /// When the app view heard it, as written and as an instant.
    public var indexedAt: String
    public var indexedDate: Date

    enum CodingKeys: String, CodingKey { case uri, cid, author, reason, reasonSubject, record, indexedAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uri = try container.decode(String.self, forKey: .uri)
        cid = try container.decode(String.self, forKey: .cid)
        author = try container.decode(BlueskyActor.self, forKey: .author)
        reason = try container.decode(String.self, forKey: .reason)
        reasonSubject = try container.decodeIfPresent(String.self, forKey: .reasonSubject)
        indexedAt = try container.decode(String.self, forKey: .indexedAt)
        guard ATProtoSyntax.isValidATURI(uri), BlueskyBounds.isCID(cid), (1...64).contains(reason.utf8.count),
              let indexed = BlueskyTime.date(indexedAt) else {
            throw BlueskyBounds.corrupted("notification")
        }
        indexedDate = indexed
        // A subject that is no AT URI is not followed anywhere: dropped, not refused.
        if let subject = reasonSubject, !ATProtoSyntax.isValidATURI(subject) { reasonSubject = nil }
        // Only posts are read: a like's or follow's record says nothing the notification does not.
        if Self.isPost(reason) {
            post = try container.decode(BlueskyPostContent.self, forKey: .record)
        } else {
            post = nil
        }
    }

    private static func isPost(_ reason: String) -> Bool {
        ["reply", "mention", "quote"].contains(reason)
    }
}

/// Who wrote a post or made a notification (`app.bsky.actor.defs#profileViewBasic`).
public struct BlueskyActor: Decodable, Sendable, Equatable {
    public var did: String
    public var handle: String
    public var displayName: String?
    /// Their picture, only when it is an http(s) address.
    public var avatar: String?

    enum CodingKeys: String, CodingKey { case did, handle, displayName, avatar }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        did = try container.decode(String.self, forKey: .did)
        handle = try container.decode(String.self, forKey: .handle)
        guard BlueskyBounds.fits(did: did, handle: handle), ATProtoSyntax.isValidDID(did) else { throw BlueskyBounds.corrupted("author") }
        // The lexicon's 64 graphemes and 640 bytes; a longer name is shortened, not refused.
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName).map { BlueskyBounds.cut($0, graphemes: 64, bytes: 640) }
        avatar = try container.decodeIfPresent(String.self, forKey: .avatar).flatMap(BlueskyBounds.webAddress)
    }
}

/// What Trestle reads of an `app.bsky.feed.post` record: its words with their facets, where it
/// sits in a thread, and the post it quotes.
public struct BlueskyPostContent: Decodable, Sendable {
    /// At most `BlueskyBounds.longestText` bytes; the lexicon's own limit is 3,000.
    public var text: String
    /// As written, offsets unchecked: `BlueskyRichText` checks them before using any.
    public var facets: [BlueskyFacet]
    /// A facet that could not be read at all (no index, offsets that are no numbers): the text
    /// is then shown without links rather than with a guess.
    public var hasUnreadableFacet: Bool
    /// The thread's first post and the one it answers.
    public var reply: (root: BlueskyRecordRef, parent: BlueskyRecordRef)?
    /// The post it quotes (`app.bsky.embed.record`, alone or with media).
    public var quoted: BlueskyRecordRef?
    public var createdAt: Date?

    /// More facets than this is no post a person wrote: its text is shown plain.
    static let mostFacets = 256

    enum CodingKeys: String, CodingKey { case type = "$type", text, facets, reply, embed, createdAt }
    private enum ReplyKeys: String, CodingKey { case root, parent }
    private enum EmbedKeys: String, CodingKey { case type = "$type", record }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decodeIfPresent(String.self, forKey: .type) ?? BlueskyPostRecord.type == BlueskyPostRecord.type else {
            throw BlueskyBounds.corrupted("not a post")
        }
        text = BlueskyBounds.cut(try container.decode(String.self, forKey: .text), graphemes: .max, bytes: BlueskyBounds.longestText)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt).flatMap(BlueskyTime.date)
        facets = []
        hasUnreadableFacet = false
        if container.contains(.facets) {
            // Facets that are no list at all are no error to report: the words are shown plain.
            if var list = try? container.nestedUnkeyedContainer(forKey: .facets), (list.count ?? 0) <= Self.mostFacets {
                while !list.isAtEnd {
                    let facet = try list.decode(ReceivedFacet.self)
                    if let read = facet.facet { facets.append(read) } else { hasUnreadableFacet = true }
                }
            } else {
                hasUnreadableFacet = true
            }
        }
        if container.contains(.reply) {
            let reply = try container.nestedContainer(keyedBy: ReplyKeys.self, forKey: .reply)
            self.reply = (try reply.decode(BlueskyRecordRef.self, forKey: .root), try reply.decode(BlueskyRecordRef.self, forKey: .parent))
        }
        quoted = nil
        // An embed that is no object quotes nothing; a quoted record that is no strong ref is
        // refused below, as a reply's refs are.
        if container.contains(.embed), let embed = try? container.nestedContainer(keyedBy: EmbedKeys.self, forKey: .embed) {
            quoted = try Self.quoted(in: embed)
        }
    }

    /// `app.bsky.embed.record` holds the strong ref in `record`; `recordWithMedia` one level
    /// further down, in `record.record`.
    private static func quoted(in embed: KeyedDecodingContainer<EmbedKeys>) throws -> BlueskyRecordRef? {
        switch try embed.decodeIfPresent(String.self, forKey: .type) {
        case "app.bsky.embed.record":
            return try embed.decodeIfPresent(BlueskyRecordRef.self, forKey: .record)
        case "app.bsky.embed.recordWithMedia":
            guard embed.contains(.record) else { return nil }
            return try embed.nestedContainer(keyedBy: EmbedKeys.self, forKey: .record).decodeIfPresent(BlueskyRecordRef.self, forKey: .record)
        default:
            return nil
        }
    }

    /// A facet as the record holds it: kept when its index is two numbers, its features the
    /// known ones (a link, a mention of a DID, a tag); a feature of a kind not known yet is left
    /// out, so the words it covers stay plain.
    private struct ReceivedFacet: Decodable {
        var facet: BlueskyFacet?

        private enum Keys: String, CodingKey { case index, features }
        private enum IndexKeys: String, CodingKey { case byteStart, byteEnd }
        private enum FeatureKeys: String, CodingKey { case type = "$type", uri, did, tag }

        init(from decoder: any Decoder) throws {
            // Whatever is wrong inside one facet costs that post its links, never the page it came in.
            do {
                let container = try decoder.container(keyedBy: Keys.self)
                let index = try container.nestedContainer(keyedBy: IndexKeys.self, forKey: .index)
                let slice = BlueskyFacet.ByteSlice(byteStart: try index.decode(Int.self, forKey: .byteStart), byteEnd: try index.decode(Int.self, forKey: .byteEnd))
                var list = try container.nestedUnkeyedContainer(forKey: .features)
                var features: [BlueskyFacet.Feature] = []
                while !list.isAtEnd, features.count < 8 {
                    let feature = try list.nestedContainer(keyedBy: FeatureKeys.self)
                    switch try feature.decodeIfPresent(String.self, forKey: .type) {
                    case "app.bsky.richtext.facet#link":
                        features.append(.link(uri: try feature.decode(String.self, forKey: .uri)))
                    case "app.bsky.richtext.facet#mention":
                        let did = try feature.decode(String.self, forKey: .did)
                        if ATProtoSyntax.isValidDID(did) { features.append(.mention(handle: did, did: did)) }
                    case "app.bsky.richtext.facet#tag":
                        let tag = try feature.decode(String.self, forKey: .tag)
                        if (1...640).contains(tag.utf8.count), tag.count <= 64 { features.append(.tag(tag)) }
                    default:
                        continue
                    }
                }
                facet = BlueskyFacet(index: slice, features: features)
            } catch {
                facet = nil
            }
        }
    }
}

/// A post as `app.bsky.feed.getPostThread` shows it (`app.bsky.feed.defs#postView`).
public struct BlueskyPostView: Decodable, Sendable {
    public var uri: String
    public var cid: String
    public var author: BlueskyActor
    public var post: BlueskyPostContent
    public var indexedAt: Date

    enum CodingKeys: String, CodingKey { case uri, cid, author, record, indexedAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uri = try container.decode(String.self, forKey: .uri)
        cid = try container.decode(String.self, forKey: .cid)
        author = try container.decode(BlueskyActor.self, forKey: .author)
        post = try container.decode(BlueskyPostContent.self, forKey: .record)
        guard ATProtoSyntax.isValidATURI(uri), BlueskyBounds.isCID(cid), let indexed = BlueskyTime.date(try container.decode(String.self, forKey: .indexedAt)) else {
            throw BlueskyBounds.corrupted("post view")
        }
        indexedAt = indexed
    }
}

/// A place in a thread (`app.bsky.feed.getPostThread`'s union): a post with the one it answers
/// and its replies, or a post that was deleted or that a block hides.
public indirect enum BlueskyThreadNode: Decodable, Sendable {
    case post(BlueskyPostView, parent: BlueskyThreadNode?, replies: [BlueskyThreadNode])
    case notFound(uri: String)
    case blocked(uri: String)
    /// A kind of place the lexicon added since: shown as nothing.
    case unknown

    /// Most posts read from one thread, however many the service sends; the rest are left
    /// unread (a thread under a popular post has thousands of replies).
    static let mostPosts = 200
    /// Deeper nesting than this is no thread that was asked for (`parentHeight` and `depth`
    /// are far smaller); refused before it can run the decoder's stack out.
    static let deepest = 256

    static let budgetKey = CodingUserInfoKey(rawValue: "trestle.bluesky.thread.budget")!

    /// How many more posts the decoder takes, shared by all the nodes of one answer.
    final class Budget: Sendable {
        private let left: Mutex<Int>
        init(posts: Int) { left = Mutex(posts) }
        func take() { left.withLock { $0 = max(0, $0 - 1) } }
        var hasLeft: Bool { left.withLock { $0 > 0 } }
    }

    enum CodingKeys: String, CodingKey { case type = "$type", post, parent, replies, uri }

    /// The thread of a `getPostThread` answer's bytes.
    static func decode(_ body: Data) throws -> BlueskyThreadNode {
        struct Output: Decodable { var thread: BlueskyThreadNode }
        let decoder = JSONDecoder()
        decoder.userInfo[budgetKey] = Budget(posts: mostPosts)
        do {
            return try decoder.decode(Output.self, from: body).thread
        } catch {
            throw NetworkError.unexpectedResponse("The service's thread is not the AT Protocol's (app.bsky.feed.getPostThread); is this a Bluesky service?")
        }
    }

    public init(from decoder: any Decoder) throws {
        guard decoder.codingPath.count <= Self.deepest else { throw BlueskyBounds.corrupted("thread too deep") }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "app.bsky.feed.defs#threadViewPost":
            let budget = decoder.userInfo[Self.budgetKey] as? Budget
            let view = try container.decode(BlueskyPostView.self, forKey: .post)
            budget?.take()
            let parent = try container.decodeIfPresent(BlueskyThreadNode.self, forKey: .parent)
            var replies: [BlueskyThreadNode] = []
            if container.contains(.replies) {
                var list = try container.nestedUnkeyedContainer(forKey: .replies)
                while !list.isAtEnd, budget?.hasLeft ?? true {
                    replies.append(try list.decode(BlueskyThreadNode.self))
                }
            }
            self = .post(view, parent: parent, replies: replies)
        case "app.bsky.feed.defs#notFoundPost":
            self = .notFound(uri: try container.decode(String.self, forKey: .uri))
        case "app.bsky.feed.defs#blockedPost":
            self = .blocked(uri: try container.decode(String.self, forKey: .uri))
        default:
            self = .unknown
        }
    }
}
