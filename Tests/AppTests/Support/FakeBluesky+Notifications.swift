import Foundation
import Networks
import Synchronization
import TextRules
import Vapor

/// What people do to the fake's accounts, and how the service tells them: notifications as
/// `app.bsky.notification.listNotifications` lists them (auth required, newest first, `limit`
/// 1–100, `reasons` repeated, and a `cursor` that pages to older ones and does not move when
/// newer ones arrive), and threads as `app.bsky.feed.getPostThread` shows them (a
/// `#threadViewPost` with its `parent` chain and `replies`, `#notFoundPost` for a post that is
/// gone, `#blockedPost` for a blocked author, `NotFound` for an unknown uri).
extension FakeBluesky {
    /// Something that happened to an account.
    struct Notification: Sendable {
        var recipient: String
        var uri: String
        var cid: String
        var author: Account
        var reason: String
        var reasonSubject: String?
        /// The record's JSON object.
        var record: Data
        var indexedAt: String
    }

    /// A post by someone other than the fake's accounts.
    struct Post: Sendable {
        var uri: String
        var cid: String
        var author: Account
        var record: Data
        var indexedAt: String
    }

    /// When the fake's clock starts.
    static let firstInstant = Date(timeIntervalSince1970: 1_796_112_000)  // 2026-12-01T08:00:00Z

    // MARK: Controls

    /// `author` replies to `target`; the target's author and the thread's are notified. The reply's root is the
    /// target's root, or the target when it starts the thread. `facets` nil finds them in the
    /// text, mentions resolved to the fake's accounts; `rawFacets` is the JSON array as is.
    @discardableResult
    func reply(from author: Account, to target: BlueskyRecordRef, text: String, facets: [BlueskyFacet]? = nil, rawFacets: String? = nil) throws -> BlueskyRecordRef {
        let root = rootOf(target.uri) ?? target
        let reply: [String: Any] = ["root": ["uri": root.uri, "cid": root.cid], "parent": ["uri": target.uri, "cid": target.cid]]
        let (ref, record) = try addPost(by: author, text: text, facets: facets, rawFacets: rawFacets, extra: ["reply": reply])
        // The app view tells the author of the post answered and the author of the thread's first post.
        for recipient in Set([try Self.did(in: target.uri), try Self.did(in: root.uri)]).sorted() where recipient != author.did {
            try notify(recipient, of: "reply", by: author, uri: ref.uri, cid: ref.cid, subject: target.uri, record: record)
        }
        return ref
    }

    /// `author` mentions `recipient` in a post of their own (facets as in `reply`).
    @discardableResult
    func mention(of recipient: Account = FakeBluesky.bakery, from author: Account, text: String, facets: [BlueskyFacet]? = nil, rawFacets: String? = nil) throws -> BlueskyRecordRef {
        let (ref, record) = try addPost(by: author, text: text, facets: facets, rawFacets: rawFacets, extra: [:])
        try notify(recipient.did, of: "mention", by: author, uri: ref.uri, cid: ref.cid, subject: nil, record: record)
        return ref
    }

    /// `author` quotes `target` (`app.bsky.embed.record`); the target's author is notified.
    @discardableResult
    func quote(_ target: BlueskyRecordRef, from author: Account, text: String, facets: [BlueskyFacet]? = nil) throws -> BlueskyRecordRef {
        let embed: [String: Any] = ["$type": "app.bsky.embed.record", "record": ["uri": target.uri, "cid": target.cid]]
        let (ref, record) = try addPost(by: author, text: text, facets: facets, rawFacets: nil, extra: ["embed": embed])
        try notify(Self.did(in: target.uri), of: "quote", by: author, uri: ref.uri, cid: ref.cid, subject: target.uri, record: record)
        return ref
    }

    /// `author` likes `target`.
    func like(_ target: BlueskyRecordRef, from author: Account) throws {
        try engage("like", collection: "app.bsky.feed.like", target: target, from: author)
    }

    /// `author` reposts `target`.
    func repost(_ target: BlueskyRecordRef, from author: Account) throws {
        try engage("repost", collection: "app.bsky.feed.repost", target: target, from: author)
    }

    /// `author` follows `account`.
    func follow(_ account: Account = FakeBluesky.bakery, from author: Account) throws {
        let (instant, rkey) = tick()
        let record: [String: Any] = ["$type": "app.bsky.graph.follow", "subject": account.did, "createdAt": instant]
        try notify(account.did, of: "follow", by: author, uri: "at://\(author.did)/app.bsky.graph.follow/\(rkey)", cid: "bafyrei\(rkey)",
                   subject: nil, record: try JSONSerialization.data(withJSONObject: record), at: instant)
    }

    /// The fake's accounts' posts written through `createRecord`, as references, in order.
    var ourPosts: [BlueskyRecordRef] {
        controls.records.withLock { $0 }.map { BlueskyRecordRef(uri: "at://\($0.repo)/\(BlueskyPostRecord.type)/\($0.rkey)", cid: "bafyrei\($0.rkey)") }
    }

    /// A post by someone else disappears, as when they delete it.
    func delete(_ post: BlueskyRecordRef) {
        controls.othersPosts.withLock { $0.removeAll { $0.uri == post.uri } }
    }

    /// Stops the clock: what happens next happens at one instant, until `startClock()`.
    func stopClock() {
        let now = controls.ticks.withLock { $0 } + 1
        controls.stoppedAt.withLock { $0 = now }
    }

    func startClock() {
        controls.stoppedAt.withLock { $0 = nil }
    }

    // MARK: Making records

    private func engage(_ reason: String, collection: String, target: BlueskyRecordRef, from author: Account) throws {
        let (instant, rkey) = tick()
        let record: [String: Any] = ["$type": collection, "subject": ["uri": target.uri, "cid": target.cid], "createdAt": instant]
        try notify(Self.did(in: target.uri), of: reason, by: author, uri: "at://\(author.did)/\(collection)/\(rkey)", cid: "bafyrei\(rkey)",
                   subject: target.uri, record: try JSONSerialization.data(withJSONObject: record), at: instant)
    }

    private func addPost(by author: Account, text: String, facets: [BlueskyFacet]?, rawFacets: String?, extra: [String: Any]) throws -> (BlueskyRecordRef, Data) {
        let (instant, rkey) = tick()
        var record: [String: Any] = ["$type": BlueskyPostRecord.type, "text": text, "createdAt": instant]
        for (key, value) in extra { record[key] = value }
        if let rawFacets {
            record["facets"] = try JSONSerialization.jsonObject(with: Data(rawFacets.utf8), options: [.fragmentsAllowed])
        } else {
            let found = facets ?? BlueskyTextRules().facets(in: text).compactMap { facet -> BlueskyFacet? in
                guard let handle = facet.unresolvedHandle else { return facet }
                return Self.known.first { $0.handle == handle }.map { facet.resolved(did: $0.did) }
            }
            if !found.isEmpty { record["facets"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(found)) }
        }
        let data = try JSONSerialization.data(withJSONObject: record)
        let ref = BlueskyRecordRef(uri: "at://\(author.did)/\(BlueskyPostRecord.type)/\(rkey)", cid: "bafyrei\(rkey)")
        controls.othersPosts.withLock { $0.append(Post(uri: ref.uri, cid: ref.cid, author: author, record: data, indexedAt: instant)) }
        return (ref, data)
    }

    private func notify(_ recipient: String, of reason: String, by author: Account, uri: String, cid: String, subject: String?, record: Data, at instant: String? = nil) throws {
        let indexedAt = instant ?? controls.othersPosts.withLock { $0.last { $0.uri == uri }?.indexedAt } ?? tick().instant
        controls.notifications.withLock {
            $0.append(Notification(recipient: recipient, uri: uri, cid: cid, author: author, reason: reason, reasonSubject: subject, record: record, indexedAt: indexedAt))
        }
    }

    /// The next instant of the fake's clock, and a record key made from it.
    private func tick() -> (instant: String, rkey: String) {
        let tick = controls.ticks.withLock { ticks -> Int in
            ticks += 1
            return ticks
        }
        let stopped = controls.stoppedAt.withLock { $0 }
        let instant = Self.firstInstant.addingTimeInterval(TimeInterval(stopped ?? tick))
        // The key from the tick, not the instant, so records made at one instant differ.
        return (Self.datetime(instant), TID.make(at: Self.firstInstant.addingTimeInterval(TimeInterval(tick)), clockID: 0))
    }

    /// RFC 3339 in UTC with milliseconds, as the app view writes `indexedAt`.
    static func datetime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Accounts whose handles resolve here, for the mentions in a text.
    static let known = [bakery, miller, Account(did: "did:plc:44ybard66vv44zksje25o7dz", handle: "flour.example.com", appPassword: "", displayName: "Flour & Co")]

    static func did(in uri: String) throws -> String {
        let parts = uri.dropFirst("at://".count).split(separator: "/")
        guard uri.hasPrefix("at://"), let did = parts.first else { throw TestSetupError("not an AT URI: \(uri)") }
        return String(did)
    }

    // MARK: The service

    /// Every post the service knows: the fake's accounts' (from `createRecord`) and others'.
    fileprivate static func allPosts(_ controls: Controls, accounts: [Account]) -> [Post] {
        let ours = controls.records.withLock { $0 }.compactMap { record -> Post? in
            guard let author = accounts.first(where: { $0.did == record.repo }) else { return nil }
            let uri = "at://\(record.repo)/\(BlueskyPostRecord.type)/\(record.rkey)"
            let created = (try? JSONSerialization.jsonObject(with: record.json) as? [String: Any])?["createdAt"] as? String
            return Post(uri: uri, cid: "bafyrei\(record.rkey)", author: author, record: record.json, indexedAt: created ?? datetime(firstInstant))
        }
        return ours + controls.othersPosts.withLock { $0 }
    }

    fileprivate static func profile(_ account: Account) -> [String: Any] {
        ["did": account.did, "handle": account.handle, "displayName": account.displayName,
         "avatar": "https://cdn.bsky.app/img/avatar/plain/\(account.did)/bafkreiavatar@jpeg"]
    }

    static func registerNotifications(_ routes: any RoutesBuilder, accounts: [Account], controls: Controls) {
        routes.get("xrpc", "app.bsky.notification.listNotifications") { req async throws -> Response in
            let token = req.headers.bearerAuthorization?.token ?? ""
            guard let account = accounts.first(where: { controls.isLive(token, for: $0.did) }) else { return try expired(token, accounts) }
            let query = req.url.query ?? ""
            controls.notificationQueries.withLock { $0.append(query) }
            let items = URLComponents(string: "?" + query)?.queryItems ?? []
            let limitText = items.first { $0.name == "limit" }?.value ?? "50"
            guard let limit = Int(limitText), (1...100).contains(limit) else {
                return try json(["error": "InvalidRequest", "message": "limit must be an integer from 1 to 100"], status: .badRequest)
            }
            let reasons = Set(items.filter { $0.name == "reasons" }.compactMap(\.value))
            var before = Int.max
            if let cursor = items.first(where: { $0.name == "cursor" })?.value {
                guard cursor.hasPrefix("n"), let position = Int(cursor.dropFirst()) else {
                    return try json(["error": "InvalidRequest", "message": "Malformed cursor"], status: .badRequest)
                }
                before = position
            }
            let size = min(limit, controls.pageSize.withLock { $0 })
            let all = controls.notifications.withLock { $0 }
            // Newest first, and only older than the cursor: what arrives meanwhile is above it.
            let page = Array(all.indices.reversed().lazy
                .filter { $0 < before && all[$0].recipient == account.did && (reasons.isEmpty || reasons.contains(all[$0].reason)) }
                .prefix(size))
            var output: [String: Any] = [
                "notifications": try page.map { index -> [String: Any] in
                    let item = all[index]
                    var notification: [String: Any] = [
                        "uri": item.uri, "cid": item.cid, "author": profile(item.author), "reason": item.reason,
                        "record": try JSONSerialization.jsonObject(with: item.record), "isRead": false, "indexedAt": item.indexedAt, "labels": [] as [Any],
                    ]
                    if let subject = item.reasonSubject { notification["reasonSubject"] = subject }
                    return notification
                },
            ]
            if let last = page.last { output["cursor"] = "n\(last)" }
            return try json(output)
        }

        routes.get("xrpc", "app.bsky.feed.getPostThread") { req async throws -> Response in
            let token = req.headers.bearerAuthorization?.token ?? ""
            guard accounts.contains(where: { controls.isLive(token, for: $0.did) }) else { return try expired(token, accounts) }
            guard let uri = req.query[String.self, at: "uri"] else {
                return try json(["error": "InvalidRequest", "message": "Error: Params must have the property \"uri\""], status: .badRequest)
            }
            let depth = req.query[Int.self, at: "depth"] ?? 6
            let parentHeight = req.query[Int.self, at: "parentHeight"] ?? 80
            guard (0...1000).contains(depth), (0...1000).contains(parentHeight) else {
                return try json(["error": "InvalidRequest", "message": "depth and parentHeight are 0 to 1000"], status: .badRequest)
            }
            let posts = allPosts(controls, accounts: accounts)
            guard let post = posts.first(where: { $0.uri == uri }) else {
                return try json(["error": "NotFound", "message": "Post not found: \(uri)"], status: .badRequest)
            }
            let blocked = controls.blockedAuthors.withLock { $0 }
            return try json(["thread": try node(post, posts: posts, blocked: blocked, depth: depth, parentHeight: parentHeight, replies: true)])
        }
    }

    private static func record(of post: Post) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: post.record) as? [String: Any] ?? [:]
    }

    private static func parentURI(of post: Post) throws -> String? {
        ((try record(of: post)["reply"] as? [String: Any])?["parent"] as? [String: Any])?["uri"] as? String
    }

    /// A `#threadViewPost`: parents above it only, replies below it only, as the app view nests them.
    private static func node(_ post: Post, posts: [Post], blocked: Set<String>, depth: Int, parentHeight: Int, replies: Bool) throws -> [String: Any] {
        if blocked.contains(post.author.did) {
            return ["$type": "app.bsky.feed.defs#blockedPost", "uri": post.uri, "blocked": true, "author": ["did": post.author.did]]
        }
        let children = try posts.filter { try parentURI(of: $0) == post.uri }
        var node: [String: Any] = [
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": [
                "uri": post.uri, "cid": post.cid, "author": profile(post.author), "record": try record(of: post), "indexedAt": post.indexedAt,
                "replyCount": children.count, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
            ] as [String: Any],
        ]
        if parentHeight > 0, let parentURI = try parentURI(of: post) {
            if let parent = posts.first(where: { $0.uri == parentURI }) {
                node["parent"] = try Self.node(parent, posts: posts, blocked: blocked, depth: 0, parentHeight: parentHeight - 1, replies: false)
            } else {
                node["parent"] = ["$type": "app.bsky.feed.defs#notFoundPost", "uri": parentURI, "notFound": true]
            }
        }
        if replies, depth > 0 {
            node["replies"] = try children.map { try Self.node($0, posts: posts, blocked: blocked, depth: depth - 1, parentHeight: 0, replies: true) }
        }
        return node
    }

    /// A post of ours that someone's reply or quote names: where the fake finds its thread's root.
    private func rootOf(_ uri: String) -> BlueskyRecordRef? {
        guard let post = Self.allPosts(controls, accounts: Self.known).first(where: { $0.uri == uri }),
              let object = try? JSONSerialization.jsonObject(with: post.record) as? [String: Any],
              let root = (object["reply"] as? [String: Any])?["root"] as? [String: Any],
              let rootURI = root["uri"] as? String, let rootCID = root["cid"] as? String else { return nil }
        return BlueskyRecordRef(uri: rootURI, cid: rootCID)
    }
}
