import Foundation
import Synchronization
import Vapor

/// What people say to the fake instance's account, as Mastodon's API shows it: notifications
/// (`GET /api/v1/notifications`, newest first, paged by `max_id`, `since_id` and `min_id` with
/// a `Link` header), other people's statuses (`GET /api/v1/statuses/:id` and `…/context`), and
/// the streaming API as server-sent events (`GET /api/v1/streaming/user/notification`), which
/// pushes each notification added while a connection is open.
extension FakeMastodon {
    /// Someone on the fediverse; `domain` nil for an account of the fake instance itself, whose
    /// `acct` is then its bare username, as Mastodon writes it.
    struct Person: Sendable {
        var id: String
        var username: String
        var domain: String?
        var displayName: String

        static let ana = Person(id: "2001", username: "ana", domain: "pastry.example", displayName: "Ana Flour")
        static let bea = Person(id: "2002", username: "bea", domain: nil, displayName: "")
        static let cy = Person(id: "2003", username: "cy", domain: "rye.example", displayName: "Cy <Rye>")
        static let dee = Person(id: "2004", username: "Dee", domain: "crumb.example", displayName: "Dee")

        var acct: String { domain.map { "\(username)@\($0)" } ?? username }
    }

    /// A status someone else wrote, its text as the HTML Mastodon serves.
    struct Said: Sendable {
        var id: String
        var author: Person
        var html: String
        var inReplyToID: String?
        var inReplyToAccountID: String?
        var visibility = "public"
        var quotedID: String?
        var createdAt: Date
    }

    struct Notification: Sendable {
        var id: Int
        var type: String
        var from: Person
        var statusID: String?
        var createdAt: Date
    }

    /// The inbox side of the instance, changed by the test while Trestle reads it.
    final class Inbox: Sendable {
        let notifications = Mutex<[Notification]>([])
        let said = Mutex<[String: Said]>([:])
        /// Ids that cross from five digits to six early on, so ordering by text alone would fail.
        private let nextID = Mutex(99_990)
        private let streams = Mutex<[UUID: AsyncStream<String?>.Continuation]>([:])

        /// Streams open now.
        var openStreams: Int { streams.withLock { $0.count } }

        /// Ends every open stream, as a restarting instance or a lost connection would.
        func dropStreams() {
            for stream in streams.withLock({ Array($0.values) }) { stream.yield(nil) }
        }

        /// A new stream's key, what it is to send (nil: end it), and where the connection's
        /// own heartbeats go in.
        func listen() -> (UUID, AsyncStream<String?>, AsyncStream<String?>.Continuation) {
            let (events, continuation) = AsyncStream<String?>.makeStream()
            let key = UUID()
            streams.withLock { $0[key] = continuation }
            return (key, events, continuation)
        }

        func stopListening(_ key: UUID) { _ = streams.withLock { $0.removeValue(forKey: key) } }

        private func newID() -> Int { nextID.withLock { $0 += 1; return $0 } }

        /// Stores a notification and pushes it to every open stream.
        @discardableResult
        func notify(_ type: String, from person: Person, status: String? = nil, ours: [Status], settings: Settings) -> Notification {
            let notification = Notification(id: newID(), type: type, from: person, statusID: status, createdAt: Date())
            notifications.withLock { $0.append(notification) }
            if let entity = FakeMastodon.entity(notification, inbox: self, statuses: ours, settings: settings),
               let data = try? JSONSerialization.data(withJSONObject: entity) {
                let event = "event: notification\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
                for stream in streams.withLock({ Array($0.values) }) { stream.yield(event) }
            }
            return notification
        }

        /// A status by `person`, with a mention of the account, as Mastodon renders it.
        func say(_ text: String, from person: Person, replyingTo: String? = nil, replyingToAccount: String? = nil, visibility: String = "public",
                 quoting: String? = nil, html: String? = nil, settings: Settings) -> Said {
            let mention = #"<span class="h-card" translate="no"><a href="https://\#(settings.domain)/@bakery" class="u-url mention">@<span>bakery</span></a></span>"#
            let said = Said(
                id: String(newID() + 700_000), author: person, html: html ?? "<p>\(mention) \(Self.escape(text))</p>", inReplyToID: replyingTo,
                inReplyToAccountID: replyingToAccount, visibility: visibility, quotedID: quoting, createdAt: Date()
            )
            self.said.withLock { $0[said.id] = said }
            return said
        }

        static func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        }
    }

    // MARK: What the test makes people do

    /// `person` answers one of the account's statuses.
    @discardableResult
    func reply(from person: Person, to statusID: String, _ text: String, html: String? = nil) -> Said {
        let said = controls.inbox.say(text, from: person, replyingTo: statusID, replyingToAccount: accountID, html: html, settings: settings)
        controls.inbox.notify("mention", from: person, status: said.id, ours: ours, settings: settings)
        return said
    }

    /// `person` names the account in a status of their own.
    @discardableResult
    func mention(from person: Person, _ text: String, html: String? = nil) -> Said {
        let said = controls.inbox.say(text, from: person, html: html, settings: settings)
        controls.inbox.notify("mention", from: person, status: said.id, ours: ours, settings: settings)
        return said
    }

    /// `person` quotes one of the account's statuses (Mastodon 4.5).
    @discardableResult
    func quote(from person: Person, of statusID: String, _ text: String) -> Said {
        let said = controls.inbox.say(text, from: person, quoting: statusID, settings: settings)
        controls.inbox.notify("quote", from: person, status: said.id, ours: ours, settings: settings)
        return said
    }

    /// `person` writes to the account alone.
    @discardableResult
    func directMessage(from person: Person, _ text: String, replyingTo statusID: String? = nil) -> Said {
        let said = controls.inbox.say(text, from: person, replyingTo: statusID, replyingToAccount: statusID.map { _ in accountID }, visibility: "direct", settings: settings)
        controls.inbox.notify("mention", from: person, status: said.id, ours: ours, settings: settings)
        return said
    }

    func favourite(from person: Person, of statusID: String) { controls.inbox.notify("favourite", from: person, status: statusID, ours: ours, settings: settings) }
    func boost(from person: Person, of statusID: String) { controls.inbox.notify("reblog", from: person, status: statusID, ours: ours, settings: settings) }
    func follow(from person: Person) { controls.inbox.notify("follow", from: person, ours: ours, settings: settings) }

    /// The newest notification's id, as a cursor would hold it.
    var newestNotificationID: String? { controls.inbox.notifications.withLock { $0.last.map { String($0.id) } } }

    private var ours: [Status] { controls.statuses.withLock { $0 } }
    private var accountID: String { settings.accounts["good-token"]?.id ?? "10984" }

    // MARK: The API

    static func registerInbox(_ routes: any RoutesBuilder, settings: Settings, controls: Controls) {
        let inbox = controls.inbox
        @Sendable func authorized(_ req: Request) -> Bool {
            let token = req.headers.bearerAuthorization?.token ?? ""
            return settings.accounts[token] != nil && !controls.revokedTokens.withLock { $0.contains(token) }
        }
        routes.get("api", "v1", "notifications") { req async throws -> Response in
            guard authorized(req) else { return try json(["error": "The access token is invalid"], status: .unauthorized) }
            let limit = max(1, min(req.query[Int.self, at: "limit"] ?? 40, 80))
            var all = inbox.notifications.withLock { $0 }.sorted { $0.id > $1.id }
            if let maxID = req.query[Int.self, at: "max_id"] { all = all.filter { $0.id < maxID } }
            if let sinceID = req.query[Int.self, at: "since_id"] { all = all.filter { $0.id > sinceID } }
            let page: [Notification]
            if let minID = req.query[Int.self, at: "min_id"] {
                // The ones immediately after `min_id`, still newest first.
                page = Array(all.filter { $0.id > minID }.suffix(limit))
            } else {
                page = Array(all.prefix(limit))
            }
            let statuses = controls.statuses.withLock { $0 }
            var headers: HTTPHeaders = [:]
            if let newest = page.first, let oldest = page.last {
                let base = "http://\(req.headers.first(name: .host) ?? "")/api/v1/notifications?limit=\(limit)"
                headers.add(name: "Link", value: #"<\#(base)&max_id=\#(oldest.id)>; rel="next", <\#(base)&min_id=\#(newest.id)>; rel="prev""#)
            }
            return try json(page.compactMap { entity($0, inbox: inbox, statuses: statuses, settings: settings) }, headers: headers)
        }
        routes.get("api", "v1", "statuses", ":id") { req async throws -> Response in
            guard authorized(req) else { return try json(["error": "The access token is invalid"], status: .unauthorized) }
            let id = req.parameters.get("id") ?? ""
            controls.statusReads.withLock { $0.append(id) }
            if let failure = controls.statusReadFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                return try json(["error": "Something went wrong on our end"], status: failure)
            }
            guard var status = anyStatus(id, inbox: inbox, statuses: controls.statuses.withLock { $0 }, settings: settings) else {
                return try json(["error": "Record not found"], status: .notFound)
            }
            status.merge(controls.countsJSON(of: id)) { _, set in set }
            return try json(status)
        }
        routes.get("api", "v1", "statuses", ":id", "context") { req async throws -> Response in
            guard authorized(req) else { return try json(["error": "The access token is invalid"], status: .unauthorized) }
            let id = req.parameters.get("id") ?? ""
            let statuses = controls.statuses.withLock { $0 }
            let said = inbox.said.withLock { $0 }
            func parent(of id: String) -> String? { said[id]?.inReplyToID ?? statuses.first { $0.id == id }?.inReplyToID }
            guard anyStatus(id, inbox: inbox, statuses: statuses, settings: settings) != nil else { return try json(["error": "Record not found"], status: .notFound) }
            var ancestors: [String] = []
            var next = parent(of: id)
            while let current = next, ancestors.count < 100 {
                ancestors.insert(current, at: 0)
                next = parent(of: current)
            }
            let everyID = Array(said.keys) + statuses.map(\.id)
            func descends(_ candidate: String) -> Bool {
                var next = parent(of: candidate)
                while let current = next {
                    if current == id { return true }
                    next = parent(of: current)
                }
                return false
            }
            let descendants = everyID.filter(descends).sorted()
            return try json([
                "ancestors": ancestors.compactMap { anyStatus($0, inbox: inbox, statuses: statuses, settings: settings) },
                "descendants": descendants.compactMap { anyStatus($0, inbox: inbox, statuses: statuses, settings: settings) },
            ])
        }
        routes.get("api", "v1", "streaming", "user", "notification") { req async throws -> Response in
            guard authorized(req) else { return try json(["error": "Error: Invalid access token"], status: .unauthorized) }
            let (key, events, input) = inbox.listen()
            let heartbeat = settings.heartbeat
            let body = Response.Body(asyncStream: { writer in
                // Written by the loop below, whose write fails once the client has gone.
                let beats = Task {
                    guard let heartbeat else { return }
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        input.yield(":thump\n")
                    }
                }
                defer {
                    beats.cancel()
                    inbox.stopListening(key)
                }
                do {
                    // Mastodon opens every stream with a comment.
                    if heartbeat != nil { try await writer.write(.buffer(ByteBuffer(string: ":)\n"))) }
                    for await event in events {
                        guard let event else { break }
                        try await writer.write(.buffer(ByteBuffer(string: event)))
                    }
                    try await writer.write(.end)
                } catch {
                    // The client has gone; Vapor wants every body ended, even then.
                    try? await writer.write(.error(error))
                }
            })
            return Response(status: .ok, headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-store"], body: body)
        }
    }

    // MARK: Entities

    static func account(_ person: Person, settings: Settings) -> [String: Any] {
        let home = person.domain ?? settings.domain
        return [
            "id": person.id, "username": person.username, "acct": person.acct, "display_name": person.displayName,
            "url": "https://\(home)/@\(person.username)", "avatar": "https://files.\(home)/avatars/\(person.id).png",
        ]
    }

    static func entity(_ said: Said, settings: Settings) -> [String: Any] {
        var entity: [String: Any] = [
            "id": said.id, "created_at": ISO8601DateFormatter().string(from: said.createdAt), "in_reply_to_id": said.inReplyToID ?? NSNull(),
            "in_reply_to_account_id": said.inReplyToAccountID ?? NSNull(), "visibility": said.visibility, "sensitive": false, "spoiler_text": "",
            "url": "https://\(said.author.domain ?? settings.domain)/@\(said.author.username)/\(said.id)", "content": said.html,
            "account": account(said.author, settings: settings), "mentions": [], "tags": [], "emojis": [], "media_attachments": [],
        ]
        if let quoted = said.quotedID {
            entity["quote"] = ["state": "accepted", "quoted_status": ["id": quoted, "content": "<p>ours</p>"]]
        }
        return entity
    }

    /// Someone else's status or one the account posted.
    static func anyStatus(_ id: String, inbox: Inbox, statuses: [Status], settings: Settings) -> [String: Any]? {
        if let said = inbox.said.withLock({ $0[id] }) { return entity(said, settings: settings) }
        return statuses.first { $0.id == id }.map { entity($0, settings: settings) }
    }

    static func entity(_ notification: Notification, inbox: Inbox, statuses: [Status], settings: Settings) -> [String: Any]? {
        var entity: [String: Any] = [
            "id": String(notification.id), "type": notification.type, "created_at": ISO8601DateFormatter().string(from: notification.createdAt),
            "account": account(notification.from, settings: settings),
        ]
        if let id = notification.statusID {
            guard let status = anyStatus(id, inbox: inbox, statuses: statuses, settings: settings) else { return nil }
            entity["status"] = status
        }
        return entity
    }
}
