import Foundation
import Networks
import Synchronization
import Vapor

/// Facebook Login and the Graph API for Pages (www.facebook.com's dialog and graph.facebook.com, v23.0, one server here) on
/// loopback: the login dialog (which sends the person straight back with a code and Facebook's `#_=_`, as if they allowed
/// Trestle; scopes comma-separated, `pages_show_list` among them), the token endpoint (GET or form POST; app, redirect URI
/// and PKCE verifier checked; a code spent by its first use) answering a short user token, its exchange for a 60-day one
/// (spending it), `me/accounts` with a fresh page token per Page (older ones still good), `me`, a Page's posts, photos
/// (published, or kept to attach) and videos, its posts list, reads, comments and replies, and deletion; a Page's endpoints
/// take only its token. Parameters come in the query or a POST's form body over it, `access_token` among them (never a
/// header). Errors are Graph's `{"error": {…}}`; every answer carries `X-App-Usage`.
///
/// Tokens share one counter whatever their kind: `fb-user-short-1`, `fb-user-long-2`, `fb-page-<pageID>-3`….
/// Photos, videos, post numbers and comment numbers share another: `122000000000000001`, `…002`…; a post is
/// `<pageID>_<number>`, a comment or reply `<its post's number>_<number>`.
struct FakeFacebook: FakeGraph.Fake {
    static let clientID = "trestle-facebook-client"
    static let clientSecret = "trestle-facebook-secret"
    /// The person who signs in, and manages the Pages.
    static let userID = "10150000000000001"
    static let bakeryPageID = "10160000000000001"
    static let cafePageID = "10160000000000002"
    /// A Page the person may only analyse: it takes no posts and no comments.
    static let statsPageID = "10160000000000003"
    /// The `from.id` of someone else's comment (see `comment(_:on:by:replyingTo:)`).
    static let othersID = "10150000000009999"

    /// A Page the person has a role on, with what the role lets them do there (Graph's `tasks`).
    struct Page: Sendable { var id, name: String, username: String?, category = "Bakery", tasks: [String] }

    /// A post on a Page's timeline: a status or link, or the post a published photo or a video makes.
    struct Post: Sendable {
        var id, pageID: String, message, link: String?, photoIDs: [String] = [], videoID: String?, createdAt: Date
        var likes: FakeCount = .int(0), shares: Int?
        /// Written by the Page (not a visitor); `published` is false for a post made with `published=false`.
        var fromPage = true, published = true
        var number: String { String(id.split(separator: "_").last ?? "") }
        var permalink: String { "https://www.facebook.com/\(pageID)/posts/\(number)" }
    }

    /// A photo uploaded to a Page; `postID` is the post it is in once published or attached.
    struct Photo: Sendable { var id, pageID, url: String, caption, altText: String?, published: Bool, postID: String? }
    /// A video uploaded to a Page, and the post it made.
    struct Video: Sendable { var id, pageID, fileURL: String, title, description: String?, postID: String }

    /// A comment on a post, or a reply to one (`parentID`, always a top-level comment); the Page's or someone's.
    struct Comment: Sendable { var id, postID: String, parentID: String?, message, fromID, fromName: String, createdAt: Date }

    /// What publishing answers instead (a post, a published photo, a video): code 4 with a full `X-App-Usage`,
    /// code 32 with the Page's `X-Business-Use-Case-Usage` (15 minutes to regain access), code 190, or an HTTP 500 of code 2.
    enum Failure: FakeGraph.PublishFailure { case rateLimited, pageRateLimited, tokenExpired, unknown }

    /// Whose token a call carries: the person's (the token) or a Page's (its id).
    enum Caller: Sendable, Equatable {
        case person(String), page(String)
        var pageID: String? { if case let .page(id) = self { id } else { nil } }
    }

    final class Controls: FakeGraph.Controls {
        /// Codes handed out by the dialog.
        let codes = Mutex<[String: FakeGraph.Code]>([:])
        /// The person's tokens that work, and when they end; a spent one is gone.
        let accessTokens = Mutex<[String: Date]>([:])
        /// Page tokens that work, each to its Page's id; they never end, and a fresh one leaves the older ones good.
        let pageTokens = Mutex<[String: String]>([:])
        /// Every grant asked, in order (`authorization_code`, `fb_exchange_token`).
        let grants = Mutex<[String]>([])
        let issued = Mutex(0), objectsIssued = Mutex(0)
        /// The Pages `me/accounts` lists, in its order.
        let pages = Mutex<[Page]>([
            Page(id: bakeryPageID, name: "Corner Bakery", username: "cornerbakery", tasks: ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]),
            Page(id: cafePageID, name: "Corner Café", username: nil, tasks: ["ANALYZE", "CREATE_CONTENT", "MODERATE"]),
            Page(id: statsPageID, name: "Stats Only", username: nil, tasks: ["ANALYZE"]),
        ])
        /// Every post, photo, video, and comment or reply (a deleted one gone), in creation order.
        let posts = Mutex<[Post]>([]), photos = Mutex<[Photo]>([]), videos = Mutex<[Video]>([]), comments = Mutex<[Comment]>([])
        /// Every Page's `followers_count`.
        let followers = Mutex<FakeCount>(.int(540))
        /// Answers publishing gives instead of publishing, first first.
        let publishFailures = Mutex<[Failure]>([])
        /// Whether a photo's `url` cannot be fetched (code 324).
        let photoFetchFails = Mutex(false)
        /// When set, a post is stored and its answer is this late.
        let lateAnswer = Mutex<Duration?>(nil)
        /// The `X-App-Usage` of every answer that sets none of its own.
        let appUsage = Mutex(#"{"call_count":5,"total_cputime":1,"total_time":1}"#)
        /// Every call with its parameters (query and form merged), which the request log lacks.
        let calls = Mutex<[FakeGraph.Call]>([])

        /// The person's token of a kind (`short`, `long`) lasting `seconds`, or a Page's (`page` its id), which does not end.
        func issueToken(_ kind: String, lasting seconds: TimeInterval = 0, page: String? = nil) -> String {
            let token = "fb-\(page.map { "page-\($0)" } ?? "user-\(kind)")-\(issued.withLock { $0 += 1; return $0 })"
            if let page { pageTokens.withLock { $0[token] = page } } else { accessTokens.withLock { $0[token] = Date().addingTimeInterval(seconds) } }
            return token
        }
        /// The next photo, video, post or comment number.
        func nextID() -> String { String(122_000_000_000_000_000 + objectsIssued.withLock { $0 += 1; return $0 }) }

        /// A post by the Page, the photos it carries marked as in it (an attached one stays unpublished, as Graph shows it); the post.
        func addPost(on pageID: String, message: String?, link: String? = nil, photoIDs: [String] = [], videoID: String? = nil, published: Bool = true) -> Post {
            let post = Post(id: "\(pageID)_\(nextID())", pageID: pageID, message: message, link: link, photoIDs: photoIDs, videoID: videoID,
                            createdAt: Date(), published: published)
            photos.withLock { all in for i in all.indices where photoIDs.contains(all[i].id) { all[i].postID = post.id } }
            posts.withLock { $0.append(post) }
            return post
        }
        /// A comment, or a reply (to a reply's parent when `parentID` is itself a reply, as Facebook does); its id.
        func addComment(_ message: String, on postID: String, replyingTo parentID: String?, fromID: String, fromName: String) -> String {
            let id = "\(postID.split(separator: "_").last.map(String.init) ?? postID)_\(nextID())"
            comments.withLock { all in
                let parent = parentID.map { id in all.first { $0.id == id }?.parentID ?? id }
                all.append(Comment(id: id, postID: postID, parentID: parent, message: message, fromID: fromID, fromName: fromName, createdAt: Date()))
            }
            return id
        }
        /// The Page a post, comment, photo or video belongs to, and which it is.
        func owner(of id: String) -> (pageID: String, kind: String)? {
            if let post = posts.withLock({ $0.first { $0.id == id } }) { return (post.pageID, "post") }
            if let comment = comments.withLock({ $0.first { $0.id == id } }) { return owner(of: comment.postID).map { ($0.pageID, "comment") } }
            if let photo = photos.withLock({ $0.first { $0.id == id } }) { return (photo.pageID, "photo") }
            return videos.withLock { $0.first { $0.id == id } }.map { ($0.pageID, "video") }
        }
    }

    let server: FakeNetworkServer
    let controls: Controls

    /// Facebook's addresses, pointed here.
    var provider: OAuthProvider { FacebookConnector.provider(at: URL(string: url)!) }

    static func start() async throws -> FakeFacebook {
        let controls = Controls()
        let server = try await FakeNetworkServer { root in
            let routes = root.grouped(FakeGraph.Parameters(controls: controls))
            routes.get("v23.0", "dialog", "oauth") { req async throws -> Response in
                FakeGraph.authorize(req, controls, clientID: clientID, known: [
                    "pages_show_list", "pages_manage_posts", "pages_read_engagement", "pages_manage_engagement",
                    "pages_read_user_content", "read_insights", "business_management",
                ], required: "pages_show_list", prefix: "fb", fragment: "_=_")
            }
            // The code's exchange for a short user token, and (by `grant_type`) that token's for a long one, spending it.
            for method in [HTTPMethod.GET, .POST] {
                routes.on(method, "v23.0", "oauth", "access_token") { req async throws -> Response in
                    let given = req.given.merged, grant = given["grant_type"] ?? "authorization_code"
                    controls.grants.withLock { $0.append(grant) }
                    guard given["client_id"] == clientID else { return try FakeGraph.error(101, "Error validating application. Invalid application ID.") }
                    guard given["client_secret"] == clientSecret else { return try FakeGraph.error(1, "Error validating client secret.") }
                    if grant == "fb_exchange_token" {
                        guard let old = given["fb_exchange_token"], old.hasPrefix("fb-user-short-"),
                              let ends = controls.accessTokens.withLock({ $0.removeValue(forKey: old) }), ends > Date() else { return try FakeGraph.expired(nil) }
                        return try json(["access_token": controls.issueToken("long", lasting: 5_183_944), "token_type": "bearer", "expires_in": 5_183_944] as [String: Any])
                    }
                    guard grant == "authorization_code" else { return try FakeGraph.error(100, "(#100) Unsupported grant_type") }
                    guard let code = given["code"], let issued = controls.codes.withLock({ $0.removeValue(forKey: code) }) else { return try badCode() }
                    guard issued.redirectURI == given["redirect_uri"] else { return try FakeGraph.error(100, "Error validating verification code. Please make sure your "
                        + "redirect_uri is identical to the one you used in the OAuth dialog request", subcode: 36008) }
                    guard PKCEChallenge.of(given["code_verifier"] ?? "") == issued.challenge else { return try badCode() }
                    return try json(["access_token": controls.issueToken("short", lasting: 5_183), "token_type": "bearer", "expires_in": 5_183] as [String: Any])
                }
            }
            let api = routes.grouped(Authorized(controls: controls))
            // `me` among the ids, not a route of its own: the router would not try `:id` for `/v23.0/me/feed` once `me` matched.
            api.get("v23.0", ":id", "accounts") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard case let .person(token) = req.caller else { return try FakeGraph.error(100, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)") }
                guard id == "me" || id == userID else { return try FakeGraph.unsupported("get", id) }
                guard token.hasPrefix("fb-user-long-") else { return try FakeGraph.error(190, "Error validating access token: "
                    + "this fake lists Pages only for a long-lived user token.", subcode: 463) }
                let pages = controls.pages.withLock { $0 }.prefix(min(max(Int(req.given.merged["limit"] ?? "") ?? 25, 1), 100))
                return try FakeGraph.list(pages.map { fields($0).merging(["access_token": controls.issueToken("page", page: $0.id), "category": $0.category, "tasks": $0.tasks]) { $1 } })
            }
            api.get("v23.0", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? "", asked = req.given.merged["fields"] ?? ""
                if case .person = req.caller, id == "me" || id == userID { return try json(["id": userID, "name": "Ana Baker"]) }
                let pageID = id == "me" ? req.caller.pageID ?? id : id
                if let page = controls.pages.withLock({ $0.first { $0.id == pageID } }) {
                    return try json(fields(page).merging(["followers_count": controls.followers.withLock { $0 }.json]) { $1 })
                }
                let kind = try controls.owned(id, by: req, "get").kind, comments = controls.comments.withLock { $0 }
                switch kind {
                case "post": return try json(fields(controls.posts.withLock { $0.first { $0.id == id } }!, asked: asked, comments: comments))
                case "comment": return try json(fields(comments.first { $0.id == id }!))
                case "photo":
                    let photo = controls.photos.withLock { $0.first { $0.id == id } }!
                    return try json(["id": id, "name": photo.caption, "alt_text_custom": photo.altText, "page_story_id": photo.postID].compactMapValues { $0 })
                default:
                    let video = controls.videos.withLock { $0.first { $0.id == id } }!
                    return try json(["id": id, "description": video.description, "title": video.title, "post_id": video.postID].compactMapValues { $0 })
                }
            }
            api.post("v23.0", ":id", "feed") { req async throws -> Response in
                let page = try controls.page(for: req, "post", may: ["CREATE_CONTENT"])
                if let failure = controls.publishFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return try failureAnswer(failure, page: page.id) }
                let given = req.given.merged, message = given["message"].flatMap { $0.isEmpty ? nil : $0 }, link = given["link"].flatMap { $0.isEmpty ? nil : $0 }
                if let message, message.count > 63_206 { return try FakeGraph.error(100, "(#100) Param message must be at most 63206 characters long.") }
                let attached = given.compactMap { key, value in key.wholeMatch(of: /attached_media\[(\d+)\]/).map { (Int($0.1) ?? 0, key, value) } }.sorted { $0.0 < $1.0 }
                var photoIDs: [String] = []
                for (_, key, value) in attached {
                    let photoID = ((try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: Any])?["media_fbid"].map { "\($0)" } ?? ""
                    guard controls.photos.withLock({ $0.contains { $0.id == photoID && $0.pageID == page.id && !$0.published && $0.postID == nil } }), !photoIDs.contains(photoID) else {
                        return try FakeGraph.error(100, "(#100) Param \(key) must be the media_fbid of an unpublished photo of this Page.")
                    }
                    photoIDs.append(photoID)
                }
                if message == nil, link == nil, photoIDs.isEmpty { return try FakeGraph.error(100, "(#100) Missing message or attachment") }
                let post = controls.addPost(on: page.id, message: message, link: link, photoIDs: photoIDs, published: given["published"] != "false")
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return try json(["id": post.id])
            }
            api.post("v23.0", ":id", "photos") { req async throws -> Response in
                let page = try controls.page(for: req, "post", may: ["CREATE_CONTENT"])
                let given = req.given.merged, published = given["published"] != "false"
                if published, let failure = controls.publishFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return try failureAnswer(failure, page: page.id) }
                guard let url = given["url"], !url.isEmpty, !controls.photoFetchFails.withLock({ $0 }) else { return try FakeGraph.error(324, "(#324) Requires upload file") }
                let photo = Photo(id: controls.nextID(), pageID: page.id, url: url, caption: given["caption"], altText: given["alt_text_custom"], published: published, postID: nil)
                controls.photos.withLock { $0.append(photo) }
                guard published else { return try json(["id": photo.id]) }
                let post = controls.addPost(on: page.id, message: photo.caption, photoIDs: [photo.id])
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return try json(["id": photo.id, "post_id": post.id])
            }
            api.post("v23.0", ":id", "videos") { req async throws -> Response in
                let page = try controls.page(for: req, "post", may: ["CREATE_CONTENT"])
                if let failure = controls.publishFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return try failureAnswer(failure, page: page.id) }
                let given = req.given.merged
                guard let file = given["file_url"], !file.isEmpty else { return try FakeGraph.missing("file_url") }
                let videoID = controls.nextID(), post = controls.addPost(on: page.id, message: given["description"], videoID: videoID)
                controls.videos.withLock { $0.append(Video(id: videoID, pageID: page.id, fileURL: file, title: given["title"], description: given["description"], postID: post.id)) }
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return try json(["id": videoID])
            }
            api.get("v23.0", ":id", "posts") { req async throws -> Response in
                let page = try controls.page(for: req, "get", may: nil), given = req.given.merged
                let since = Date(timeIntervalSince1970: Double(given["since"] ?? "") ?? -.infinity), until = Date(timeIntervalSince1970: Double(given["until"] ?? "") ?? .infinity)
                let limit = min(max(Int(given["limit"] ?? "") ?? 25, 1), 100), comments = controls.comments.withLock { $0 }
                let posts = controls.posts.withLock { $0.filter { $0.pageID == page.id && $0.fromPage && $0.published && $0.createdAt >= since && $0.createdAt <= until } }
                return try FakeGraph.list(posts.reversed().sorted { $0.createdAt > $1.createdAt }.prefix(limit).map { fields($0, asked: given["fields"] ?? "", comments: comments) })
            }
            api.get("v23.0", ":id", "comments") { req async throws -> Response in
                let id = req.parameters.get("id") ?? "", given = req.given.merged
                let kind = try controls.owned(id, by: req, "get").kind, all = controls.comments.withLock { $0 }
                // A comment's are its replies; a post's are its top-level ones, or with `filter=stream` every one, replies too.
                var chosen = all.filter { kind == "comment" ? $0.parentID == id : $0.postID == id && (given["filter"] == "stream" || $0.parentID == nil) }
                    .sorted { $0.createdAt < $1.createdAt }
                if given["order"] == "reverse_chronological" { chosen.reverse() }
                return try FakeGraph.list(chosen.prefix(min(max(Int(given["limit"] ?? "") ?? 25, 1), 100)).map { fields($0) })
            }
            api.post("v23.0", ":id", "comments") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                let owner = try controls.owned(id, by: req, "post", may: ["CREATE_CONTENT", "MODERATE"])
                guard owner.kind == "post" || owner.kind == "comment" else { return try FakeGraph.unsupported("post", id) }
                guard let message = req.given.merged["message"], !message.isEmpty else { return try FakeGraph.error(100, "(#100) Missing message or attachment") }
                let name = controls.pages.withLock { $0.first { $0.id == owner.pageID }?.name } ?? "", reply = owner.kind == "comment"
                let postID = reply ? controls.comments.withLock { $0.first { $0.id == id }?.postID ?? id } : id
                return try json(["id": controls.addComment(message, on: postID, replyingTo: reply ? id : nil, fromID: owner.pageID, fromName: name)])
            }
            api.delete("v23.0", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard let kind = controls.owner(of: id)?.kind, kind == "post" || kind == "comment" else { return try FakeGraph.unsupported("delete", id) }
                _ = try controls.owned(id, by: req, "delete", may: kind == "post" ? ["CREATE_CONTENT"] : ["CREATE_CONTENT", "MODERATE"])
                controls.posts.withLock { $0.removeAll { $0.id == id } }
                controls.comments.withLock { $0.removeAll { $0.id == id || $0.parentID == id || $0.postID == id } }  // with its replies, or a post's comments
                return try json(["success": true])
            }
        }
        return FakeFacebook(server: server, controls: controls)
    }

    /// A Page's id, name and username (when it has one), as `me/accounts`, `me` and the Page's id answer them.
    static func fields(_ page: Page) -> [String: Any] { ["id": page.id, "name": page.name, "username": page.username].compactMapValues { $0 } }

    /// A post's fields; `shares` (when some), `reactions` and `comments` only when `asked` names them, replies counted among the comments.
    static func fields(_ post: Post, asked: String, comments: [Comment]) -> [String: Any] {
        var fields: [String: Any] = ["id": post.id, "created_time": FakeGraph.timestamp(post.createdAt), "permalink_url": post.permalink]
        if let message = post.message { fields["message"] = message }
        if let shares = post.shares, shares > 0, asked.contains("shares") { fields["shares"] = ["count": shares] }
        if asked.contains("reactions") { fields["reactions"] = ["data": [], "summary": ["total_count": post.likes.json, "viewer_reaction": "NONE"]] as [String: Any] }
        if asked.contains("comments") {
            let counted = comments.filter { $0.postID == post.id }.count
            fields["comments"] = ["data": [], "summary": ["order": "chronological", "total_count": counted, "can_comment": true]] as [String: Any]
        }
        return fields
    }

    /// A comment's fields, its permalink naming its parent for a reply.
    static func fields(_ comment: Comment) -> [String: Any] {
        let parts = comment.postID.split(separator: "_"), number = { (id: String) in String(id.split(separator: "_").last ?? "") }
        var link = "https://www.facebook.com/\(parts.first ?? "")/posts/\(parts.last ?? "")?comment_id="
        link += comment.parentID.map { "\(number($0))&reply_comment_id=\(number(comment.id))" } ?? number(comment.id)
        var fields: [String: Any] = ["id": comment.id, "message": comment.message, "created_time": FakeGraph.timestamp(comment.createdAt),
                                     "from": ["id": comment.fromID, "name": comment.fromName], "permalink_url": link]
        if let parent = comment.parentID { fields["parent"] = ["id": parent] }
        return fields
    }

    /// Someone else's comment on a post, or reply to a comment (to its parent when that is a reply); its id.
    @discardableResult func comment(_ text: String, on postID: String, by name: String = "Mia Miller", replyingTo parentID: String? = nil) -> String {
        controls.addComment(text, on: postID, replyingTo: parentID, fromID: Self.othersID, fromName: name)
    }

    /// Ends every token, the person's and the Pages', as if the person revoked Trestle.
    func expireTokens() { controls.accessTokens.withLock { $0.removeAll() }; controls.pageTokens.withLock { $0.removeAll() } }

    /// The `access_token` parameter must be a user token the token endpoint issued and not yet ended, or a page token.
    struct Authorized: AsyncMiddleware {
        let controls: Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let token = request.given.merged["access_token"] ?? "", ends = controls.accessTokens.withLock { $0[token] }
            let caller = controls.pageTokens.withLock { $0[token] }.map(Caller.page) ?? (ends.map { $0 > Date() } == true ? .person(token) : nil)
            guard let caller else { return try FakeGraph.expired(ends) }
            request.storage[CallerKey.self] = caller
            return try await next.respond(to: request)
        }
    }
}

private extension FakeFacebook.Controls {
    /// The Page a Page endpoint names (`me` the token's own), refused unless the token is that Page's and, with `may`,
    /// the person's tasks there include one of those.
    func page(for req: Request, _ verb: String, may tasks: [String]?) throws -> FakeFacebook.Page {
        guard let own = req.caller.pageID else { throw FakeGraph.Refusal(response: try notAdmin()) }
        let asked = req.parameters.get("id") ?? "", id = asked == "me" ? own : asked
        guard let page = pages.withLock({ $0.first { $0.id == id } }) else { throw FakeGraph.Refusal(response: try FakeGraph.unsupported(verb, asked)) }
        guard id == own, tasks.map({ $0.contains(where: page.tasks.contains) }) ?? true else { throw FakeGraph.Refusal(response: try notAdmin()) }
        return page
    }

    /// A post, comment, photo or video, refused unless it exists and the token is its Page's (with one of `may`'s tasks there).
    func owned(_ id: String, by req: Request, _ verb: String, may tasks: [String]? = nil) throws -> (pageID: String, kind: String) {
        guard let owner = owner(of: id) else { throw FakeGraph.Refusal(response: try FakeGraph.unsupported(verb, id)) }
        let held = pages.withLock { $0.first { $0.id == owner.pageID }?.tasks } ?? []
        guard req.caller.pageID == owner.pageID, tasks.map({ $0.contains(where: held.contains) }) ?? true else { throw FakeGraph.Refusal(response: try notAdmin()) }
        return owner
    }
}

private struct CallerKey: StorageKey { typealias Value = FakeFacebook.Caller }
private extension Request {
    var caller: FakeFacebook.Caller { storage[CallerKey.self] ?? .person("") }
}

private func badCode() throws -> Response { try FakeGraph.error(100, "Invalid verification code format.", subcode: 36007) }
private func notAdmin() throws -> Response {
    try FakeGraph.error(200, "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission")
}

/// What failing publishing answers: code 32 for the Page's limit, under `page`, the Page posted to.
private func failureAnswer(_ failure: FakeFacebook.Failure, page: String) throws -> Response {
    try FakeGraph.answer(failure, limit: 32, "Page request limit reached", id: page, type: "pages")
}
