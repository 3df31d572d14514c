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
struct FakeInstagram: Sendable {
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
    enum Failure: Sendable { case rateLimited, userRateLimited, tokenExpired, unknown }

    /// The parameters of a call: the query's and a form body's, and the form's over the query's as Graph reads them.
    struct Given: Sendable {
        var query, form: [String: String]
        var merged: [String: String] { query.merging(form) { $1 } }
    }

    final class Controls: Sendable {
        /// Codes handed out by the authorize page: their challenge, redirect URI and scopes.
        let codes = Mutex<[String: (challenge: String, redirectURI: String, scope: String)]>([:])
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
        let calls = Mutex<[(method: String, path: String, parameters: [String: String])]>([])

        func issueToken(_ kind: String, lasting seconds: TimeInterval) -> String {
            let token = "ig-\(kind)-\(issued.withLock { $0 += 1; return $0 })"
            accessTokens.withLock { $0[token] = Date().addingTimeInterval(seconds) }
            return token
        }
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
    var url: String { server.baseURL }

    /// Instagram's addresses, pointed here.
    var provider: OAuthProvider { InstagramConnector.provider(at: URL(string: url)!) }

    static func start() async throws -> FakeInstagram {
        let controls = Controls()
        let server = try await FakeNetworkServer { root in
            let routes = root.grouped(GraphParameters(controls: controls))
            routes.get("oauth", "authorize") { req async throws -> Response in
                let given = req.given.merged
                let known: Set = ["instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_comments",
                                  "instagram_business_manage_insights", "instagram_business_manage_messages"]
                let scopes = (given["scope"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard given["client_id"] == clientID, given["response_type"] == "code", given["code_challenge_method"] == "S256",
                      let challenge = given["code_challenge"], let redirect = given["redirect_uri"], var back = URLComponents(string: redirect),
                      let state = given["state"], scopes.contains("instagram_business_basic"), scopes.allSatisfy(known.contains) else {
                    return Response(status: .badRequest, body: "Invalid request: the app, redirect URI, scopes or code challenge are not right.")
                }
                let code = "ig-code-\(UUID().uuidString.prefix(8))"
                controls.codes.withLock { $0[code] = (challenge, redirect, scopes.joined(separator: ",")) }
                back.queryItems = (back.queryItems ?? []) + [URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: state)]
                return Response(status: .found, headers: ["Location": back.url!.absoluteString])
            }
            routes.post("oauth", "access_token") { req async throws -> Response in
                let form = req.given.form
                controls.grants.withLock { $0.append(form["grant_type"] ?? "") }
                guard form["client_id"] == clientID else { return try tokenRefusal("Invalid platform app") }
                guard form["client_secret"] == clientSecret else { return try tokenRefusal("Error validating client secret.") }
                guard form["grant_type"] == "authorization_code", let code = form["code"], let issued = controls.codes.withLock({ $0.removeValue(forKey: code) }),
                      issued.redirectURI == form["redirect_uri"], PKCEChallenge.of(form["code_verifier"] ?? "") == issued.challenge else {
                    return try tokenRefusal("Matching code was not found or was already used")
                }
                return try json(["data": [["access_token": controls.issueToken("short", lasting: 3_600), "user_id": userID, "permissions": issued.scope]]])
            }
            // The exchange of the short token for a long one (with the app secret), and the long one's refresh: each spends the token it is given.
            for (path, grant, spent) in [("access_token", "ig_exchange_token", "ig-short-"), ("refresh_access_token", "ig_refresh_token", "ig-long-")] {
                routes.get(.constant(path)) { req async throws -> Response in
                    let given = req.given.merged
                    controls.grants.withLock { $0.append(given["grant_type"] ?? "") }
                    guard given["grant_type"] == grant else { return try graphError(100, "(#100) Unsupported grant_type") }
                    guard spent == "ig-long-" || given["client_secret"] == clientSecret, let old = given["access_token"], old.hasPrefix(spent),
                          let ends = controls.accessTokens.withLock({ $0.removeValue(forKey: old) }), ends > Date() else { return try expired(nil) }
                    return try json(["access_token": controls.issueToken("long", lasting: 5_184_000), "token_type": "bearer", "expires_in": 5_184_000] as [String: Any])
                }
            }
            let api = routes.grouped(Authorized(controls: controls))
            api.post("v23.0", ":id", "media") { req async throws -> Response in
                let given = req.given.merged, user = req.parameters.get("id")
                guard isUser(user) else { return try unsupported("post", user) }
                let type = given["media_type"] ?? "IMAGE", caption = given["caption"], item = given["is_carousel_item"] == "true"
                let children = (given["children"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if let caption, caption.count > 2_200 { return try graphError(100, "(#100) The caption must be at most 2200 characters long.") }
                switch type {
                case "IMAGE": if (given["image_url"] ?? "").isEmpty { return try required("image_url") }
                case "REELS", "VIDEO":
                    if type == "VIDEO", !item { return try graphError(100, "(#100) The media_type VIDEO is only for a carousel item; post a video as REELS.") }
                    if type == "REELS", item { return try graphError(100, "(#100) A carousel item must be an IMAGE or a VIDEO.") }
                    if (given["video_url"] ?? "").isEmpty { return try required("video_url") }
                case "CAROUSEL":
                    let items = controls.containers.withLock { all in children.filter { id in all.contains { $0.id == id && $0.isCarouselItem } } }
                    guard (2...10).contains(children.count), items.count == children.count else {
                        return try graphError(100, "(#100) Param children must be 2 to 10 IDs of carousel item containers.")
                    }
                default: return try graphError(100, "(#100) Param media_type must be one of {IMAGE, REELS, VIDEO, CAROUSEL}")
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
                guard let comment = comments.first(where: { $0.id == id }) else { return try unsupported("get", id) }
                return try json(commentFields(comment, full: true))
            }
            api.post("v23.0", ":id", "media_publish") { req async throws -> Response in
                if let failure = controls.publishFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return try failureAnswer(failure) }
                let user = req.parameters.get("id")
                guard isUser(user) else { return try unsupported("post", user) }
                guard let creation = req.given.merged["creation_id"] else { return try missing("creation_id") }
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
                case .failure(.missing): return try unsupported("post", creation)
                case .failure(.item): return try graphError(100, "(#100) A carousel item cannot be published by itself.")
                case .failure(.notReady): return try graphError(9007, "The media is not ready for publishing, please wait for a moment", subcode: 2_207_027)
                case .failure(.failed): return try graphError(9007, "Media ID is not available")
                case .failure(.published): return try graphError(9007, "The container was already published.")
                }
                controls.media.withLock { $0.append(media) }
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return try json(["id": media.id])
            }
            api.get("v23.0", ":id", "media") { req async throws -> Response in
                let given = req.given.merged, user = req.parameters.get("id")
                guard isUser(user) else { return try unsupported("get", user) }
                let since = Date(timeIntervalSince1970: Double(given["since"] ?? "") ?? -.infinity), limit = min(max(Int(given["limit"] ?? "") ?? 25, 1), 100)
                let comments = controls.comments.withLock { $0 }, mine = controls.media.withLock { $0.filter { $0.createdAt >= since } }
                return try page(mine.reversed().sorted { $0.createdAt > $1.createdAt }.prefix(limit).map { fields($0, comments: comments) })
            }
            api.post("v23.0", ":id", "comments") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard controls.media.withLock({ $0.contains { $0.id == id } }) else { return try unsupported("post", id) }
                guard let message = req.given.merged["message"], !message.isEmpty else { return try missing("message") }
                return try json(["id": controls.addComment(message, on: id, replyingTo: nil, by: username, fromID: userID)])
            }
            api.post("v23.0", ":id", "replies") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard let parent = controls.comments.withLock({ $0.first { $0.id == id } }) else { return try unsupported("post", id) }
                if parent.parentID != nil { return try graphError(100, "(#100) Cannot reply to a reply.") }
                guard let message = req.given.merged["message"], !message.isEmpty else { return try missing("message") }
                return try json(["id": controls.addComment(message, on: parent.mediaID, replyingTo: id, by: username, fromID: userID)])
            }
            api.get("v23.0", ":id", "comments") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard controls.media.withLock({ $0.contains { $0.id == id } }) else { return try unsupported("get", id) }
                let all = controls.comments.withLock { $0 }.filter { $0.mediaID == id }
                let top = all.filter { $0.parentID == nil }.reversed().sorted { $0.createdAt > $1.createdAt }
                return try page(top.map { comment -> [String: Any] in
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
                if controls.media.withLock({ $0.contains { $0.id == id } }) { return try graphError(100, "(#100) Unsupported delete request.") }
                return try unsupported("delete", id)
            }
            api.get("v23.0", ":id", "insights") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                if controls.insightsRefused.withLock({ $0 }) { return try graphError(10, "Application does not have permission for this action") }
                let metrics = (req.given.merged["metric"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if metrics.isEmpty { return try missing("metric") }
                guard let media = controls.media.withLock({ $0.first { $0.id == id } }) else { return try unsupported("get", id) }
                let about = ["views": ("Views", "The number of times the media was played or shown."), "likes": ("Likes", "The number of likes on the media."),
                             "comments": ("Comments", "The number of comments on the media."), "shares": ("Shares", "The number of shares of the media."),
                             "saved": ("Saved", "The number of saves of the media."), "reach": ("Accounts reached", "The number of accounts that saw the media.")]
                let values: [String: Any] = ["views": media.views.json, "likes": media.likes.json, "comments": controls.comments.withLock { all in all.filter { $0.mediaID == id }.count }, "shares": media.shares.json,
                                             "saved": media.saved.json, "reach": 1]
                var data: [[String: Any]] = []
                for (index, metric) in metrics.enumerated() {
                    guard let value = values[metric], let named = about[metric] else {
                        return try graphError(100, "(#100) metric[\(index)] must be one of the following values: views, likes, comments, shares, saved, reach")
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
                                     "timestamp": timestamp(media.createdAt), "username": username, "like_count": media.likes.json,
                                     "comments_count": comments.filter { $0.mediaID == media.id }.count]
        if let caption = media.caption { fields["caption"] = caption }
        return fields
    }

    /// A comment's fields; `full` adds its media and, for a reply, its parent, as a read of the comment itself gives them.
    static func commentFields(_ comment: Comment, full: Bool) -> [String: Any] {
        var fields: [String: Any] = ["id": comment.id, "text": comment.text, "timestamp": timestamp(comment.createdAt), "username": comment.username,
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

    func stop() async throws { try await server.stop() }

    static func with(_ body: (FakeInstagram) async throws -> Void) async throws {
        let fake = try await start()
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }

    /// Reads the query and a form body once for the routes, records the call, and puts the usage header on the answer.
    struct GraphParameters: AsyncMiddleware {
        let controls: Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            var form: [String: String] = [:]
            if request.headers.contentType?.subType.lowercased() == "x-www-form-urlencoded" {
                form = formFields(try await request.body.collect(max: 1 << 20).get().map { String(buffer: $0) } ?? "")
            }
            let given = Given(query: formFields(request.url.query ?? ""), form: form)
            request.storage[GivenKey.self] = given
            controls.calls.withLock { $0.append((method: request.method.rawValue, path: request.url.path, parameters: given.merged)) }
            let response = try await next.respond(to: request)
            if !response.headers.contains(name: "X-App-Usage") { response.headers.add(name: "X-App-Usage", value: controls.appUsage.withLock { $0 }) }
            return response
        }
    }

    /// The `access_token` parameter must be one the token endpoints issued, and not yet ended.
    struct Authorized: AsyncMiddleware {
        let controls: Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let ends = controls.accessTokens.withLock { $0[request.given.merged["access_token"] ?? ""] }
            guard let ends, ends > Date() else { return try expired(ends) }
            return try await next.respond(to: request)
        }
    }
}

private enum PublishRefusal: Error { case missing, item, notReady, failed, published }
private struct GivenKey: StorageKey { typealias Value = FakeInstagram.Given }
private extension Request {
    var given: FakeInstagram.Given { storage[GivenKey.self] ?? FakeInstagram.Given(query: [:], form: [:]) }
}

/// `a=1&b=x+y` as a form or query string: `+` a space, the rest percent-decoded.
private func formFields(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let decode = { (part: Substring) in part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
        fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return fields
}

private func isUser(_ id: String?) -> Bool { id == FakeInstagram.userID || id == "me" }

/// A container's `status`: its `status_code` said in words, an `ERROR`'s with why.
private func statusText(_ code: String, _ error: String?) -> String {
    ["IN_PROGRESS": "In Progress: Media is still being processed.", "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
     "PUBLISHED": "Published: Media has been successfully published.", "EXPIRED": "Expired: Media was not published within 24 hours."][code]
        ?? "Error: \(error ?? "Media upload has failed.")"
}

/// Graph's error document; Instagram's refusals are `OAuthException`s, a missing object's a `GraphMethodException`.
private func graphError(_ code: Int, _ message: String, type: String = "OAuthException", subcode: Int? = nil,
                        status: HTTPStatus = .badRequest, headers: HTTPHeaders = [:]) throws -> Response {
    var error: [String: Any] = ["message": message, "type": type, "code": code, "fbtrace_id": "AbCdEf"]
    if let subcode { error["error_subcode"] = subcode }
    return try json(["error": error], status: status, headers: headers)
}

private func missing(_ name: String) throws -> Response { try graphError(100, "(#100) Missing required parameter: \(name)") }
private func required(_ name: String) throws -> Response { try graphError(100, "(#100) The parameter \(name) is required.") }

private func unsupported(_ verb: String, _ id: String?) throws -> Response {
    try graphError(100, "Unsupported \(verb) request. Object with ID '\(id ?? "")' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                   type: "GraphMethodException", subcode: 33)
}

private func expired(_ ends: Date?) throws -> Response {
    let pacific = formatter("EEEE, dd-MMM-yy HH:mm:ss zzz", zone: "America/Los_Angeles")
    return try graphError(190, "Error validating access token: Session has expired on \(pacific.string(from: ends ?? Date())). "
                          + "The current time is \(pacific.string(from: Date())).", subcode: 463)
}

/// The token endpoint's own error shape.
private func tokenRefusal(_ message: String) throws -> Response {
    try json(["error_type": "OAuthException", "code": 400, "error_message": message] as [String: Any], status: .badRequest)
}

/// The answers a failing `media_publish` gives, as Graph gives them.
private func failureAnswer(_ failure: FakeInstagram.Failure) throws -> Response {
    switch failure {
    case .rateLimited:
        return try graphError(4, "Application request limit reached", headers: ["X-App-Usage": #"{"call_count":100,"total_cputime":20,"total_time":20}"#])
    case .userRateLimited:
        let usage = #"{"\#(FakeInstagram.userID)":[{"type":"instagram","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":15}]}"#
        return try graphError(17, "User request limit reached", headers: ["X-Business-Use-Case-Usage": usage])
    case .tokenExpired: return try expired(nil)
    case .unknown: return try graphError(2, "An unexpected error has occurred. Please retry your request later.", status: .internalServerError)
    }
}

/// The answer of a list: its data, and Graph's cursors.
private func page(_ data: [[String: Any]]) throws -> Response { try json(["data": data, "paging": ["cursors": ["before": "b", "after": "a"]]] as [String: Any]) }

/// A time as Graph writes it: `2026-12-07T10:00:00+0000`.
private func timestamp(_ date: Date) -> String { formatter("yyyy-MM-dd'T'HH:mm:ssZ").string(from: date) }

private func formatter(_ pattern: String, zone: String = "UTC") -> DateFormatter {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0)
    formatter.dateFormat = pattern
    return formatter
}
