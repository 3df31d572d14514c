import Foundation
import Networks
import Synchronization
import Vapor

/// Meta's Instagram API with Instagram Login (a professional account; www.instagram.com, api.instagram.com and
/// graph.instagram.com, v23.0, all one server here) and its OAuth, on loopback: the authorize page (which sends the
/// person straight back with a code, as if they allowed Trestle; scopes comma-separated, `instagram_business_basic`
/// among them), the token endpoint (client id and secret in the form; PKCE verifier and redirect URI checked; a code
/// spent by its first use) answering a one-hour token in `{"data": [{…}]}`, its exchange for a 60-day one and that
/// one's refresh (each spending the token it was given), `me`, media containers (a video stays `IN_PROGRESS` for a
/// few status reads) and their publishing, the account's media, comments and replies, deletion and insights.
/// Parameters come in the query or a POST's form body over it, `access_token` among them (never a header). Errors
/// are Graph's `{"error": {…}}`; every answer carries `X-App-Usage`.
///
/// Tokens share one counter whatever their kind: `ig-short-1`, `ig-long-2`…. Containers are
/// `17900000000000001`, `…002`… in creation order; media and comments share `18200000000000001`, `…002`….
struct FakeInstagram: FakeGraph.Fake {
    static let clientID = "trestle-instagram-client"
    static let clientSecret = "trestle-instagram-secret"
    /// The professional account's id (`user_id`), the one its media hang from.
    static let userID = "17841400000000002"
    /// The app-scoped id `me` answers as its `id`.
    static let appScopedID = "27000000000000002"
    static let username = "cornerbakery"
    /// The `from.id` of someone else's comment (see `comment(_:on:by:replyingTo:)`).
    static let othersID = "17841400000009999"

    /// A media container, before and after it is published.
    struct Container: Sendable {
        var id: String
        /// As asked: `IMAGE`, `REELS`, `VIDEO` (a carousel item only) or `CAROUSEL`.
        var mediaType: String
        var caption, imageURL, videoURL, altText: String?, isCarouselItem: Bool, children: [String]
        /// `IN_PROGRESS`, `FINISHED`, `ERROR`, `EXPIRED` or `PUBLISHED`; `errorText` says why an `ERROR`.
        var statusCode: String, errorText: String?
        /// Status reads an `IN_PROGRESS` container has left before it settles (see `GET /v23.0/:id`).
        var checksLeft: Int, createdAt: Date
        /// The media publishing made of it.
        var mediaID: String?
    }

    /// A published media of the account.
    struct Media: Sendable {
        var id: String, caption: String?
        /// Graph's `media_type`: `IMAGE`, `VIDEO` (a reel) or `CAROUSEL_ALBUM`.
        var mediaType: String
        /// The images and videos, a carousel's in its children's order, with their alt texts.
        var imageURLs: [String] = [], videoURLs: [String] = [], altTexts: [String?] = [], createdAt: Date
        var likes: FakeCount = .int(0), views: FakeCount = .int(0), shares: FakeCount = .int(0), saved: FakeCount = .int(0)

        /// `REELS` for a video, `FEED` for the rest.
        var productType: String { mediaType == "VIDEO" ? "REELS" : "FEED" }
        var permalink: String { "https://www.instagram.com/p/\(String(Int(id) ?? 0, radix: 36, uppercase: true))/" }
    }

    /// A comment on one of the account's media, or a reply to one (`parentID`); the account's or someone's.
    struct Comment: Sendable {
        var id, mediaID: String, parentID: String?, text, username, fromID: String, createdAt: Date, hidden = false
    }

    /// What `media_publish` answers instead of publishing: code 4 with a full `X-App-Usage`, code 17
    /// with `X-Business-Use-Case-Usage` (15 minutes to regain access), code 190, or an HTTP 500 of code 2.
    enum Failure: FakeGraph.PublishFailure { case rateLimited, userRateLimited, tokenExpired, unknown }

    final class Controls: FakeGraph.Tokens {
        static let tokenPrefix = "ig"
        /// Codes handed out by the authorize page.
        let codes = Mutex<[String: FakeGraph.Code]>([:])
        /// Access tokens that work, and when they end; a spent one is gone.
        let accessTokens = Mutex<[String: Date]>([:])
        /// Every grant asked, in order (`authorization_code`, `ig_exchange_token`, `ig_refresh_token`).
        let grants = Mutex<[String]>([])
        let issued = Mutex(0), mediaIssued = Mutex(0)
        /// Every container, published media, and comment or reply (a deleted one gone), in creation order.
        let containers = Mutex<[Container]>([]), media = Mutex<[Media]>([]), comments = Mutex<[Comment]>([])
        /// `me`'s `account_type`: `BUSINESS` or `MEDIA_CREATOR`.
        let accountType = Mutex("BUSINESS")
        let followers = Mutex<FakeCount>(.int(310))
        /// Status reads a new `REELS` or `VIDEO` container answers `IN_PROGRESS`.
        let videoChecks = Mutex(2)
        /// When set, new image and video containers end in `ERROR` with this text in their `status`.
        let containerError = Mutex<String?>(nil)
        /// Answers `media_publish` gives instead of publishing, first first.
        let publishFailures = Mutex<[Failure]>([])
        /// When set, a media is stored and its answer is this late.
        let lateAnswer = Mutex<Duration?>(nil)
        /// Whether insights are refused (the person did not grant `instagram_business_manage_insights`).
        let insightsRefused = Mutex(false)
        /// The `X-App-Usage` of every answer that sets none of its own.
        let appUsage = Mutex(#"{"call_count":5,"total_cputime":1,"total_time":1}"#)
        /// Every call with its parameters (query and form merged), which the request log lacks.
        let calls = Mutex<[FakeGraph.Call]>([])

        /// The next media or comment id.
        func nextID() -> String { String(18_200_000_000_000_000 + mediaIssued.withLock { $0 += 1; return $0 }) }
        /// A comment or reply; its id.
        func addComment(_ text: String, on mediaID: String, replyingTo parentID: String?, by username: String, fromID: String) -> String {
            let id = nextID()
            comments.withLock { $0.append(Comment(id: id, mediaID: mediaID, parentID: parentID, text: text, username: username, fromID: fromID, createdAt: Date())) }
            return id
        }
    }

    let server: FakeNetworkServer
    let controls: Controls

    /// Instagram's addresses, pointed here.
    var provider: OAuthProvider { InstagramConnector.provider(at: URL(string: url)!) }

    static func start() async throws -> FakeInstagram {
        let controls = Controls()
        let server = try await FakeNetworkServer { root in
            let routes = root.grouped(FakeGraph.Parameters(controls: controls))
            routes.get("oauth", "authorize") { req async throws -> Response in
                FakeGraph.authorize(req, controls, clientID: clientID, known: [
                    "instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_comments",
                    "instagram_business_manage_insights", "instagram_business_manage_messages",
                ], required: "instagram_business_basic", prefix: "ig")
            }
            routes.post("oauth", "access_token") { req async throws -> Response in
                try FakeGraph.spendCode(req, controls, clientID: clientID, clientSecret: clientSecret) { issued in
                    try json(["data": [["access_token": controls.issueToken("short", lasting: 3_600), "user_id": userID, "permissions": issued.scope]]])
                }
            }
            FakeGraph.longTokens(on: routes, controls, clientSecret: clientSecret)
            let api = routes.grouped(FakeGraph.Authorized(controls: controls))
            api.post("v23.0", ":id", "media") { req async throws -> Response in
                let given = req.given.merged, user = req.parameters.get("id")
                guard isUser(user) else { return try FakeGraph.unsupported("post", user) }
                let type = given["media_type"] ?? "IMAGE", caption = given["caption"], item = given["is_carousel_item"] == "true"
                let children = (given["children"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if let caption, caption.count > 2_200 { return try FakeGraph.error(100, "(#100) The caption must be at most 2200 characters long.") }
                switch type {
                case "IMAGE": if (given["image_url"] ?? "").isEmpty { return try required("image_url") }
                case "REELS", "VIDEO":
                    if type == "VIDEO", !item { return try FakeGraph.error(100, "(#100) The media_type VIDEO is only for a carousel item; post a video as REELS.") }
                    if type == "REELS", item { return try FakeGraph.error(100, "(#100) A carousel item must be an IMAGE or a VIDEO.") }
                    if (given["video_url"] ?? "").isEmpty { return try required("video_url") }
                case "CAROUSEL":
                    let items = controls.containers.withLock { all in children.filter { id in all.contains { $0.id == id && $0.isCarouselItem } } }
                    guard (2...10).contains(children.count), items.count == children.count else {
                        return try FakeGraph.error(100, "(#100) Param children must be 2 to 10 IDs of carousel item containers.")
                    }
                default: return try FakeGraph.error(100, "(#100) Param media_type must be one of {IMAGE, REELS, VIDEO, CAROUSEL}")
                }
                let failed = type == "CAROUSEL" ? nil : controls.containerError.withLock { $0 }
                let checks = type == "REELS" || type == "VIDEO" ? max(0, controls.videoChecks.withLock { $0 }) : 0
                let id = controls.containers.withLock { all -> String in
                    let id = String(17_900_000_000_000_000 + all.count + 1)
                    all.append(Container(id: id, mediaType: type, caption: caption, imageURL: given["image_url"], videoURL: given["video_url"],
                                         altText: given["alt_text"], isCarouselItem: item, children: type == "CAROUSEL" ? children : [],
                                         statusCode: checks > 0 ? "IN_PROGRESS" : failed == nil ? "FINISHED" : "ERROR", errorText: failed,
                                         checksLeft: checks, createdAt: Date()))
                    return id
                }
                return try json(["id": id])
            }
            // `me` among the ids, not a route of its own: the router would not try `:id` for `/v23.0/me/media` once `me` matched.
            api.get("v23.0", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                if id == "me" {
                    return try json(["id": appScopedID, "user_id": userID, "username": username, "name": "Corner Bakery",
                                     "account_type": controls.accountType.withLock { $0 }, "profile_picture_url": "https://scontent.cdninstagram.com/v/bakery.jpg",
                                     "followers_count": controls.followers.withLock { $0 }.json] as [String: Any])
                }
                // A read answers the status it finds; an in-progress container's read then counts down, settling it at 0.
                let read = controls.containers.withLock { all -> (status: String, error: String?)? in
                    guard let i = all.firstIndex(where: { $0.id == id }) else { return nil }
                    let found = all[i].statusCode
                    if found == "IN_PROGRESS", all[i].checksLeft > 0 {
                        all[i].checksLeft -= 1
                        if all[i].checksLeft == 0 { all[i].statusCode = all[i].errorText == nil ? "FINISHED" : "ERROR" }
                    }
                    return (found, all[i].errorText)
                }
                if let read { return try json(["id": id, "status_code": read.status, "status": statusText(read.status, read.error)]) }
                let comments = controls.comments.withLock { $0 }
                if let media = controls.media.withLock({ $0.first { $0.id == id } }) { return try json(fields(media, comments: comments)) }
                guard let comment = comments.first(where: { $0.id == id }) else { return try FakeGraph.unsupported("get", id) }
                return try json(commentFields(comment, full: true))
            }
            api.post("v23.0", ":id", "media_publish") { req async throws -> Response in
                if let failure = controls.publishFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return try failureAnswer(failure) }
                let user = req.parameters.get("id")
                guard isUser(user) else { return try FakeGraph.unsupported("post", user) }
                guard let creation = req.given.merged["creation_id"] else { return try FakeGraph.missing("creation_id") }
                let outcome = controls.containers.withLock { all -> Result<Media, PublishRefusal> in
                    guard let i = all.firstIndex(where: { $0.id == creation }) else { return .failure(.missing) }
                    if all[i].isCarouselItem { return .failure(.item) }
                    if all[i].statusCode == "PUBLISHED" { return .failure(.published) }
                    let items = all[i].mediaType == "CAROUSEL" ? all[i].children.compactMap { id in all.first { $0.id == id } } : [all[i]]
                    let statuses = ([all[i]] + items).map(\.statusCode)
                    if statuses.contains(where: { $0 == "ERROR" || $0 == "EXPIRED" }) { return .failure(.failed) }
                    if statuses.contains("IN_PROGRESS") { return .failure(.notReady) }
                    let kinds = ["IMAGE": "IMAGE", "REELS": "VIDEO", "CAROUSEL": "CAROUSEL_ALBUM"]
                    let media = Media(id: controls.nextID(), caption: all[i].caption, mediaType: kinds[all[i].mediaType] ?? "IMAGE",
                                      imageURLs: items.compactMap(\.imageURL), videoURLs: items.compactMap(\.videoURL),
                                      altTexts: items.map(\.altText), createdAt: Date())
                    all[i].statusCode = "PUBLISHED"
                    all[i].mediaID = media.id
                    return .success(media)
                }
                let media: Media
                switch outcome {
                case let .success(published): media = published
                case .failure(.missing): return try FakeGraph.unsupported("post", creation)
                case .failure(.item): return try FakeGraph.error(100, "(#100) A carousel item cannot be published by itself.")
                case .failure(.notReady): return try FakeGraph.error(9007, "The media is not ready for publishing, please wait for a moment", subcode: 2_207_027)
                case .failure(.failed): return try FakeGraph.error(9007, "Media ID is not available")
                case .failure(.published): return try FakeGraph.error(9007, "The container was already published.")
                }
                controls.media.withLock { $0.append(media) }
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return try json(["id": media.id])
            }
            api.get("v23.0", ":id", "media") { req async throws -> Response in
                let given = req.given.merged, user = req.parameters.get("id")
                guard isUser(user) else { return try FakeGraph.unsupported("get", user) }
                let since = Date(timeIntervalSince1970: Double(given["since"] ?? "") ?? -.infinity), limit = min(max(Int(given["limit"] ?? "") ?? 25, 1), 100)
                let comments = controls.comments.withLock { $0 }, mine = controls.media.withLock { $0.filter { $0.createdAt >= since } }
                return try FakeGraph.list(mine.reversed().sorted { $0.createdAt > $1.createdAt }.prefix(limit).map { fields($0, comments: comments) })
            }
            api.post("v23.0", ":id", "comments") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard controls.media.withLock({ $0.contains { $0.id == id } }) else { return try FakeGraph.unsupported("post", id) }
                guard let message = req.given.merged["message"], !message.isEmpty else { return try FakeGraph.missing("message") }
                return try json(["id": controls.addComment(message, on: id, replyingTo: nil, by: username, fromID: userID)])
            }
            api.post("v23.0", ":id", "replies") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard let parent = controls.comments.withLock({ $0.first { $0.id == id } }) else { return try FakeGraph.unsupported("post", id) }
                if parent.parentID != nil { return try FakeGraph.error(100, "(#100) Cannot reply to a reply.") }
                guard let message = req.given.merged["message"], !message.isEmpty else { return try FakeGraph.missing("message") }
                return try json(["id": controls.addComment(message, on: parent.mediaID, replyingTo: id, by: username, fromID: userID)])
            }
            api.get("v23.0", ":id", "comments") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard controls.media.withLock({ $0.contains { $0.id == id } }) else { return try FakeGraph.unsupported("get", id) }
                let all = controls.comments.withLock { $0 }.filter { $0.mediaID == id }
                let top = all.filter { $0.parentID == nil }.reversed().sorted { $0.createdAt > $1.createdAt }
                return try FakeGraph.list(top.map { comment -> [String: Any] in
                    var fields = commentFields(comment, full: false)
                    let replies = all.filter { $0.parentID == comment.id }.sorted { $0.createdAt < $1.createdAt }
                    if !replies.isEmpty { fields["replies"] = ["data": replies.map { commentFields($0, full: false) }] }
                    return fields
                })
            }
            api.delete("v23.0", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                let removed = controls.comments.withLock { all in
                    let before = all.count
                    all.removeAll { $0.id == id || $0.parentID == id }  // a comment goes with its replies
                    return all.count < before
                }
                if removed { return try json(["success": true]) }
                if controls.media.withLock({ $0.contains { $0.id == id } }) { return try FakeGraph.error(100, "(#100) Unsupported delete request.") }
                return try FakeGraph.unsupported("delete", id)
            }
            api.get("v23.0", ":id", "insights") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                if controls.insightsRefused.withLock({ $0 }) { return try FakeGraph.notPermitted() }
                let metrics = (req.given.merged["metric"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if metrics.isEmpty { return try FakeGraph.missing("metric") }
                guard let media = controls.media.withLock({ $0.first { $0.id == id } }) else { return try FakeGraph.unsupported("get", id) }
                let about = ["views": ("Views", "The number of times the media was played or shown."), "likes": ("Likes", "The number of likes on the media."),
                             "comments": ("Comments", "The number of comments on the media."), "shares": ("Shares", "The number of shares of the media."),
                             "saved": ("Saved", "The number of saves of the media."), "reach": ("Accounts reached", "The number of accounts that saw the media.")]
                let values: [String: Any] = ["views": media.views.json, "likes": media.likes.json, "comments": controls.comments.withLock { all in all.filter { $0.mediaID == id }.count }, "shares": media.shares.json,
                                             "saved": media.saved.json, "reach": 1]
                var data: [[String: Any]] = []
                for (index, metric) in metrics.enumerated() {
                    guard let value = values[metric], let named = about[metric] else {
                        return try FakeGraph.error(100, "(#100) metric[\(index)] must be one of the following values: views, likes, comments, shares, saved, reach")
                    }
                    data.append(["name": metric, "period": "lifetime", "values": [["value": value]], "title": named.0,
                                 "description": named.1, "id": "\(id)/insights/\(metric)/lifetime"])
                }
                return try json(["data": data])
            }
        }
        return FakeInstagram(server: server, controls: controls)
    }

    /// A media's fields as Graph gives them, its comments counted among `comments` (replies too).
    static func fields(_ media: Media, comments: [Comment]) -> [String: Any] {
        var fields: [String: Any] = ["id": media.id, "media_type": media.mediaType, "media_product_type": media.productType, "permalink": media.permalink,
                                     "timestamp": FakeGraph.timestamp(media.createdAt), "username": username, "like_count": media.likes.json,
                                     "comments_count": comments.filter { $0.mediaID == media.id }.count]
        if let caption = media.caption { fields["caption"] = caption }
        return fields
    }

    /// A comment's fields; `full` adds its media and, for a reply, its parent, as a read of the comment itself gives them.
    static func commentFields(_ comment: Comment, full: Bool) -> [String: Any] {
        var fields: [String: Any] = ["id": comment.id, "text": comment.text, "timestamp": FakeGraph.timestamp(comment.createdAt), "username": comment.username,
                                     "from": ["id": comment.fromID, "username": comment.username]]
        if full { fields["media"] = ["id": comment.mediaID] }
        if full, let parent = comment.parentID { fields["parent_id"] = parent }
        return fields
    }

    /// Someone else's comment on a media, or reply to a comment; its id.
    @discardableResult func comment(_ text: String, on mediaID: String, by username: String = "miamiller", replyingTo parentID: String? = nil) -> String {
        controls.addComment(text, on: mediaID, replyingTo: parentID, by: username, fromID: Self.othersID)
    }

    func setLikes(_ count: FakeCount, of mediaID: String) { controls.media.withLock { all in for i in all.indices where all[i].id == mediaID { all[i].likes = count } } }

    /// Ends every access token, as if the person revoked Trestle.
    func expireTokens() { controls.accessTokens.withLock { $0.removeAll() } }
}

private enum PublishRefusal: Error { case missing, item, notReady, failed, published }

private func isUser(_ id: String?) -> Bool { id == FakeInstagram.userID || id == "me" }

/// A container's `status`: its `status_code` said in words, an `ERROR`'s with why.
private func statusText(_ code: String, _ error: String?) -> String {
    ["IN_PROGRESS": "In Progress: Media is still being processed.", "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
     "PUBLISHED": "Published: Media has been successfully published.", "EXPIRED": "Expired: Media was not published within 24 hours."][code]
        ?? "Error: \(error ?? "Media upload has failed.")"
}

/// A parameter a kind of media needs, as Instagram says it (code 100).
private func required(_ name: String) throws -> Response { try FakeGraph.error(100, "(#100) The parameter \(name) is required.") }

/// What a failing `media_publish` answers: code 17 for the person's limit, under the account's id.
private func failureAnswer(_ failure: FakeInstagram.Failure) throws -> Response {
    try FakeGraph.answer(failure, limit: 17, "User request limit reached", id: FakeInstagram.userID, type: "instagram")
}
