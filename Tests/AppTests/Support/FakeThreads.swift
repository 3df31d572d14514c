import Foundation
import Networks
import Synchronization
import Vapor

/// Meta's Threads API (graph.threads.net, v1.0) and its OAuth as Meta documents them, on
/// loopback: the authorize page (which sends the person straight back with a code, as if they
/// allowed Trestle; scopes comma-separated), the token endpoint (client id and secret in the form
/// body; the PKCE verifier and redirect URI checked against the authorization; a code spent by
/// its first use) answering a one-hour token, its exchange for a 60-day one and that one's
/// refresh (each spending the token it was given), `me`, media containers (a video stays
/// `IN_PROGRESS` for a few status reads) and their publishing, the account's posts and replies,
/// conversations, deletion and insights. Parameters come in the query or, for a POST, a form body
/// over it, the access token among them (`access_token`, never a header). Errors are Graph's
/// `{"error": {…}}`; every answer carries `X-App-Usage`.
///
/// Tokens share one counter whatever their kind: `th-short-1`, `th-long-2`, `th-long-3`….
/// Containers are `18000000000000001`, `…002`… in creation order; posts (the account's and
/// others' replies alike) `18100000000000001`, `…002`….
struct FakeThreads: FakeGraph.Fake {
    static let clientID = "trestle-threads-client"
    static let clientSecret = "trestle-threads-secret"
    static let userID = "17841400000000001"
    static let username = "cornerbakery"

    /// A media container, before and after it is published.
    struct Container: Sendable {
        var id: String
        /// As asked: `TEXT`, `IMAGE`, `VIDEO` or `CAROUSEL`.
        var mediaType: String
        var text, imageURL, videoURL, altText: String?
        var isCarouselItem: Bool
        var children: [String]
        var replyTo: String?
        /// `IN_PROGRESS`, `FINISHED`, `ERROR`, `EXPIRED` or `PUBLISHED`; `errorMessage` says why an `ERROR`.
        var status: String
        var errorMessage: String?
        /// Status reads an `IN_PROGRESS` container has left before it settles (see `GET /v1.0/:id`).
        var checksLeft: Int
        var createdAt: Date
        /// The post publishing made of it.
        var mediaID: String?
    }

    /// A published post: the account's, or someone's reply.
    struct Media: Sendable {
        var id: String
        var text: String?
        /// Graph's `media_type`: `TEXT_POST`, `IMAGE`, `VIDEO` or `CAROUSEL_ALBUM`.
        var mediaType: String
        /// The images and videos, a carousel's in its children's order, with their alt texts.
        var imageURLs: [String] = [], videoURLs: [String] = []
        var altTexts: [String?] = []
        var replyTo: String?
        /// The top-level post of a reply's conversation.
        var rootID: String?
        var authorUsername: String
        var createdAt: Date
        var likes: FakeCount = .int(0), views: FakeCount = .int(0)

        var permalink: String { "https://www.threads.net/@\(authorUsername)/post/\(String(Int(id) ?? 0, radix: 36, uppercase: true))" }
    }

    /// What `threads_publish` answers instead of publishing: code 4 with a full `X-App-Usage`, code 17
    /// with `X-Business-Use-Case-Usage` (15 minutes to regain access), code 190, or an HTTP 500 of code 2.
    enum Failure: FakeGraph.PublishFailure { case rateLimited, userRateLimited, tokenExpired, unknown }

    final class Controls: FakeGraph.Tokens {
        static let tokenPrefix = "th"
        /// Codes handed out by the authorize page.
        let codes = Mutex<[String: FakeGraph.Code]>([:])
        /// Access tokens that work, and when they end; a spent one is gone.
        let accessTokens = Mutex<[String: Date]>([:])
        /// Every grant asked, in order (`authorization_code`, `th_exchange_token`, `th_refresh_token`).
        let grants = Mutex<[String]>([])
        let issued = Mutex(0), mediaIssued = Mutex(0)
        /// Every container, in creation order.
        let containers = Mutex<[Container]>([])
        /// Every post there is, in creation order; a deleted one is gone.
        let media = Mutex<[Media]>([])
        /// Status reads a new video container answers `IN_PROGRESS`.
        let videoChecks = Mutex(2)
        /// When set, new image and video containers end in `ERROR` with this `error_message`.
        let containerError = Mutex<String?>(nil)
        /// Answers `threads_publish` gives instead of publishing, first first.
        let publishFailures = Mutex<[Failure]>([])
        /// When set, a post is stored and its answer is this late.
        let lateAnswer = Mutex<Duration?>(nil)
        /// Whether insights are refused (the person did not grant `threads_manage_insights`).
        let insightsRefused = Mutex(false)
        let followers = Mutex<FakeCount>(.int(230))
        /// The `X-App-Usage` of every answer that sets none of its own.
        let appUsage = Mutex(#"{"call_count":5,"total_cputime":1,"total_time":1}"#)
        /// Every call with its parameters (query and form merged), which the request log lacks.
        let calls = Mutex<[FakeGraph.Call]>([])

        func nextMediaID() -> String { String(18_100_000_000_000_000 + mediaIssued.withLock { $0 += 1; return $0 }) }
    }

    let server: FakeNetworkServer
    let controls: Controls

    /// Threads' addresses, pointed here.
    var provider: OAuthProvider { ThreadsConnector.provider(at: URL(string: url)!) }

    static func start() async throws -> FakeThreads {
        let controls = Controls()
        let server = try await FakeNetworkServer { root in
            let routes = root.grouped(FakeGraph.Parameters(controls: controls))
            routes.get("oauth", "authorize") { req async throws -> Response in
                FakeGraph.authorize(req, controls, clientID: clientID, known: [
                    "threads_basic", "threads_content_publish", "threads_read_replies", "threads_manage_replies", "threads_manage_insights",
                    "threads_manage_mentions", "threads_keyword_search", "threads_delete", "threads_location_tagging", "threads_profile_discovery",
                ], prefix: "th")
            }
            routes.post("oauth", "access_token") { req async throws -> Response in
                try FakeGraph.spendCode(req, controls, clientID: clientID, clientSecret: clientSecret) { _ in
                    try json(["access_token": controls.issueToken("short", lasting: 3_600), "user_id": Int(userID)!] as [String: Any])
                }
            }
            FakeGraph.longTokens(on: routes, controls, clientSecret: clientSecret, type: refusals)
            let api = routes.grouped(FakeGraph.Authorized(controls: controls))
            api.get("v1.0", "me") { _ async throws -> Response in
                try json(["id": userID, "username": username, "name": "Corner Bakery",
                          "threads_profile_picture_url": "https://scontent.cdninstagram.com/v/bakery.jpg"])
            }
            api.post("v1.0", ":id", "threads") { req async throws -> Response in
                let given = req.given.merged, user = req.parameters.get("id")
                guard isUser(user) else { return try unsupported("post", user) }
                guard let type = given["media_type"] else { return try missing("media_type") }
                let text = given["text"], replyTo = given["reply_to_id"]
                let children = (given["children"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if let text, threadsLength(text) > 500 { return try graphError(100, "Param text must be at most 500 characters long.") }
                switch type {
                case "TEXT": if (text ?? "").isEmpty { return try missing("text") }
                case "IMAGE": if (given["image_url"] ?? "").isEmpty { return try missing("image_url") }
                case "VIDEO": if (given["video_url"] ?? "").isEmpty { return try missing("video_url") }
                case "CAROUSEL":
                    let items = controls.containers.withLock { all in children.filter { id in all.contains { $0.id == id && $0.isCarouselItem } } }
                    guard (2...20).contains(children.count), items.count == children.count else {
                        return try graphError(100, "(#100) Param children must be 2 to 20 IDs of carousel item containers.")
                    }
                default: return try graphError(100, "(#100) Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}")
                }
                if let replyTo, !controls.media.withLock({ $0.contains { $0.id == replyTo } }) { return try graphError(100, "The reply_to_id is invalid.") }
                let failed = type == "IMAGE" || type == "VIDEO" ? controls.containerError.withLock { $0 } : nil
                let checks = type == "VIDEO" ? max(0, controls.videoChecks.withLock { $0 }) : 0
                let id = controls.containers.withLock { all -> String in
                    let id = String(18_000_000_000_000_000 + all.count + 1)
                    all.append(Container(id: id, mediaType: type, text: text, imageURL: given["image_url"], videoURL: given["video_url"], altText: given["alt_text"],
                                         isCarouselItem: given["is_carousel_item"] == "true", children: type == "CAROUSEL" ? children : [], replyTo: replyTo,
                                         status: checks > 0 ? "IN_PROGRESS" : failed == nil ? "FINISHED" : "ERROR", errorMessage: failed,
                                         checksLeft: checks, createdAt: Date()))
                    return id
                }
                return try json(["id": id])
            }
            api.get("v1.0", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                // A read answers the status it finds; an in-progress container's read then counts down, settling it at 0.
                let read = controls.containers.withLock { all -> (status: String, error: String?)? in
                    guard let i = all.firstIndex(where: { $0.id == id }) else { return nil }
                    let found = all[i].status
                    if found == "IN_PROGRESS", all[i].checksLeft > 0 {
                        all[i].checksLeft -= 1
                        if all[i].checksLeft == 0 { all[i].status = all[i].errorMessage == nil ? "FINISHED" : "ERROR" }
                    }
                    return (found, found == "ERROR" ? all[i].errorMessage : nil)
                }
                if let read {
                    return try json(["id": id, "status": read.status].merging(read.error.map { ["error_message": $0] } ?? [:]) { $1 })
                }
                guard let media = controls.media.withLock({ $0.first { $0.id == id } }) else { return try unsupported("get", id) }
                return try json(fields(media))
            }
            api.post("v1.0", ":id", "threads_publish") { req async throws -> Response in
                if let failure = controls.publishFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return try failureAnswer(failure) }
                let user = req.parameters.get("id")
                guard isUser(user) else { return try unsupported("post", user) }
                guard let creation = req.given.merged["creation_id"] else { return try missing("creation_id") }
                let outcome = controls.containers.withLock { all -> Result<Media, PublishRefusal> in
                    guard let i = all.firstIndex(where: { $0.id == creation }) else { return .failure(.missing) }
                    if all[i].status == "PUBLISHED" { return .failure(.published) }
                    let items = all[i].mediaType == "CAROUSEL" ? all[i].children.compactMap { id in all.first { $0.id == id } } : [all[i]]
                    let statuses = ([all[i]] + items).map(\.status)
                    if statuses.contains(where: { $0 == "ERROR" || $0 == "EXPIRED" }) { return .failure(.failed) }
                    if statuses.contains("IN_PROGRESS") { return .failure(.notReady) }
                    let kinds = ["TEXT": "TEXT_POST", "IMAGE": "IMAGE", "VIDEO": "VIDEO", "CAROUSEL": "CAROUSEL_ALBUM"]
                    let media = Media(id: controls.nextMediaID(), text: all[i].text, mediaType: kinds[all[i].mediaType] ?? "TEXT_POST",
                                      imageURLs: items.compactMap(\.imageURL), videoURLs: items.compactMap(\.videoURL),
                                      altTexts: all[i].mediaType == "TEXT" ? [] : items.map(\.altText), replyTo: all[i].replyTo,
                                      authorUsername: username, createdAt: Date())
                    all[i].status = "PUBLISHED"
                    all[i].mediaID = media.id
                    return .success(media)
                }
                let media: Media
                switch outcome {
                case let .success(published): media = published
                case .failure(.missing): return try unsupported("post", creation)
                case .failure(.notReady): return try graphError(24, "The media is not ready to be published. Please wait a moment.", subcode: 4_279_009)
                case .failure(.failed): return try graphError(24, "The media could not be published.")
                case .failure(.published): return try graphError(24, "The container was already published.")
                }
                controls.media.withLock { all in
                    var media = media
                    if let parent = media.replyTo { media.rootID = all.first { $0.id == parent }?.rootID ?? parent }
                    all.append(media)
                }
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return try json(["id": media.id])
            }
            api.get("v1.0", ":id", "threads") { req async throws -> Response in
                isUser(req.parameters.get("id")) ? try timeline(req, replies: false) : try unsupported("get", req.parameters.get("id"))
            }
            api.get("v1.0", ":id", "replies") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                return try isUser(id) ? timeline(req, replies: true) : conversation(req, of: id, direct: true)
            }
            api.get("v1.0", ":id", "conversation") { req async throws -> Response in
                try conversation(req, of: req.parameters.get("id") ?? "", direct: false)
            }
            api.delete("v1.0", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                let removed = controls.media.withLock { all in
                    guard let i = all.firstIndex(where: { $0.id == id && $0.authorUsername == username }) else { return false }
                    all.remove(at: i)
                    return true
                }
                return try removed ? json(["success": true, "deleted_id": id] as [String: Any]) : unsupported("delete", id)
            }
            api.get("v1.0", ":id", "insights") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                if controls.insightsRefused.withLock({ $0 }) { return try FakeGraph.notPermitted() }
                let metrics = (req.given.merged["metric"] ?? "").split(separator: ",").map(String.init)
                if metrics.isEmpty { return try missing("metric") }
                let all = controls.media.withLock { $0 }
                guard let media = all.first(where: { $0.id == id && $0.authorUsername == username }) else { return try unsupported("get", id) }
                var data: [[String: Any]] = []
                for metric in metrics {
                    let value: Any
                    switch metric {
                    case "views": value = media.views.json
                    case "likes": value = media.likes.json
                    case "replies": value = all.filter { $0.rootID == id }.count
                    case "reposts": value = 1
                    case "quotes": value = 0
                    default: return try graphError(100, "(#100) Param metric must be one of {views, likes, replies, reposts, quotes}")
                    }
                    data.append(["name": metric, "period": "lifetime", "values": [["value": value]], "title": metric,
                                 "description": "The number of \(metric) of the post.", "id": "\(id)/insights/\(metric)/lifetime"])
                }
                return try json(["data": data])
            }
            api.get("v1.0", ":id", "threads_insights") { req async throws -> Response in
                guard isUser(req.parameters.get("id")) else { return try unsupported("get", req.parameters.get("id")) }
                if controls.insightsRefused.withLock({ $0 }) { return try FakeGraph.notPermitted() }
                let metrics = (req.given.merged["metric"] ?? "").split(separator: ",")
                if metrics.isEmpty { return try missing("metric") }
                guard metrics.allSatisfy({ $0 == "followers_count" }) else { return try graphError(100, "(#100) This fake answers only metric followers_count") }
                return try json(["data": [["name": "followers_count", "period": "day", "title": "followers_count", "description": "The number of followers of the profile.",
                                           "total_value": ["value": controls.followers.withLock { $0 }.json], "id": "\(userID)/insights/followers_count/day"]]])
            }
        }
        return FakeThreads(server: server, controls: controls)

        /// The account's own top-level posts or replies, newest first.
        @Sendable func timeline(_ req: Request, replies: Bool) throws -> Response {
            let given = req.given.merged
            let since = given["since"].flatMap(graphDate) ?? .distantPast, until = given["until"].flatMap(graphDate) ?? .distantFuture
            let limit = min(max(Int(given["limit"] ?? "") ?? 25, 1), 100)
            let mine = controls.media.withLock {
                $0.filter { $0.authorUsername == username && ($0.replyTo != nil) == replies && $0.createdAt >= since && $0.createdAt <= until }
            }
            return try page(mine.reversed().sorted { $0.createdAt > $1.createdAt }.prefix(limit))
        }
        /// Every reply under a post (`direct`: only those to it), oldest first when `reverse=false`.
        @Sendable func conversation(_ req: Request, of id: String, direct: Bool) throws -> Response {
            let all = controls.media.withLock { $0 }
            guard all.contains(where: { $0.id == id }) else { return try unsupported("get", id) }
            let oldestFirst = all.filter { direct ? $0.replyTo == id : $0.rootID == id }.sorted { $0.createdAt < $1.createdAt }
            return try page(req.given.merged["reverse"] == "false" ? oldestFirst : oldestFirst.reversed())
        }
    }

    /// A post's fields as Graph gives them.
    static func fields(_ media: Media) -> [String: Any] {
        var fields: [String: Any] = ["id": media.id, "username": media.authorUsername, "permalink": media.permalink, "media_type": media.mediaType,
                                     "timestamp": FakeGraph.timestamp(media.createdAt), "is_reply": media.replyTo != nil]
        if let text = media.text { fields["text"] = text }
        if let parent = media.replyTo {
            fields["replied_to"] = ["id": parent]
            fields["root_post"] = ["id": media.rootID ?? parent]
            fields["is_reply_owned_by_me"] = media.authorUsername == username
        }
        return fields
    }

    /// Someone else's reply to a post (or to a reply); its id.
    @discardableResult
    func reply(_ text: String, to mediaID: String, by author: String = "miamiller") -> String {
        controls.media.withLock { all in
            let reply = Media(id: controls.nextMediaID(), text: text, mediaType: "TEXT_POST", replyTo: mediaID,
                              rootID: all.first { $0.id == mediaID }?.rootID ?? mediaID, authorUsername: author, createdAt: Date())
            all.append(reply)
            return reply.id
        }
    }

    func setLikes(_ count: FakeCount, of mediaID: String) {
        controls.media.withLock { all in for i in all.indices where all[i].id == mediaID { all[i].likes = count } }
    }

    /// Ends every access token, as if the person revoked Trestle.
    func expireTokens() { controls.accessTokens.withLock { $0.removeAll() } }
}

private enum PublishRefusal: Error { case missing, notReady, failed, published }

private func isUser(_ id: String?) -> Bool { id == FakeThreads.userID || id == "me" }

/// The `type` of Threads' own refusals; tokens, limits and permissions are `OAuthException`s, as everywhere in Graph.
private let refusals = "THApiException"

private func graphError(_ code: Int, _ message: String, subcode: Int? = nil) throws -> Response { try FakeGraph.error(code, message, type: refusals, subcode: subcode) }
private func missing(_ name: String) throws -> Response { try FakeGraph.missing(name, type: refusals) }
private func unsupported(_ verb: String, _ id: String?) throws -> Response { try FakeGraph.unsupported(verb, id, type: refusals) }

/// What a failing `threads_publish` answers: code 17 for the person's limit, under the account's id.
private func failureAnswer(_ failure: FakeThreads.Failure) throws -> Response {
    try FakeGraph.answer(failure, limit: 17, "User request limit reached", id: FakeThreads.userID, type: "threads")
}

/// The answer of a list: its data, and Graph's cursors.
private func page(_ media: some Sequence<FakeThreads.Media>) throws -> Response { try FakeGraph.list(media.map(FakeThreads.fields)) }

/// `since`/`until` as Graph takes them: Unix seconds, or an ISO 8601 time.
private func graphDate(_ text: String) -> Date? {
    if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
    return ISO8601DateFormatter().date(from: text) ?? FakeGraph.formatter().date(from: text)
}

/// Threads' length as its documentation counts it: grapheme clusters, an emoji as many as its UTF-8 bytes.
private func threadsLength(_ text: String) -> Int {
    text.reduce(0) { total, character in
        total + (character.unicodeScalars.contains { $0.properties.isEmojiPresentation || $0.value == 0xFE0F } ? character.utf8.count : 1)
    }
}
