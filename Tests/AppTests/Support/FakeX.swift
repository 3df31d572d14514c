import Foundation
import Networks
import Synchronization
import Vapor

/// X's API v2 and OAuth 2 as X documents them, on loopback: the authorize page (which sends the
/// person straight back with a code, as if they allowed Trestle), the token endpoint (HTTP
/// Basic client authentication; the PKCE verifier and redirect URI checked against the
/// authorization; refresh tokens spent by their first use, `invalid_grant` after), `users/me`,
/// `POST`/`DELETE /2/tweets`, the account's posts, mentions, posts by id with `public_metrics`,
/// and the chunked media upload. Errors are problem documents; every answer carries
/// `x-rate-limit-*` headers.
struct FakeX: Sendable {
    static let clientID = "trestle-x-client"
    static let clientSecret = "trestle-x-secret"
    static let userID = "2244994945"

    /// A post as X keeps it.
    struct Post: Sendable {
        var id: String
        var authorID: String
        var text: String
        var inReplyTo: String?
        var mediaIDs: [String]
        var createdAt: Date
        var likes = 0
    }

    final class Controls: Sendable {
        /// Codes handed out by the authorize page: their challenge, redirect URI and scopes.
        let codes = Mutex<[String: (challenge: String, redirectURI: String, scope: String)]>([:])
        /// Access tokens that work, and when they end.
        let accessTokens = Mutex<[String: Date]>([:])
        /// Refresh tokens that still work; a spent one is gone.
        let refreshTokens = Mutex<Set<String>>([])
        /// Every grant asked of the token endpoint, in order (`authorization_code`, `refresh_token`).
        let grants = Mutex<[String]>([])
        let issued = Mutex(0)
        let posts = Mutex<[Post]>([])
        /// Uploads: their bytes so far, type, whether finalized, checks of processing left.
        let uploads = Mutex<[String: (bytes: Data, type: String, finalized: Bool, checksLeft: Int, altText: String?)]>([:])
        /// Answers `POST /2/tweets` gives instead of posting, first first.
        let postFailures = Mutex<[HTTPStatus]>([])
        /// When set, a post is stored and its answer is this late.
        let lateAnswer = Mutex<Duration?>(nil)
        let followers = Mutex<FakeCount>(.int(120))
        /// Whether the operator's tier gives impressions.
        let givesImpressions = Mutex(true)
        /// Every mentions query, in order.
        let mentionQueries = Mutex<[String]>([])

        func issueTokens() -> (access: String, refresh: String) {
            let number = issued.withLock { $0 += 1; return $0 }
            let pair = ("x-access-\(number)", "x-refresh-\(number)")
            accessTokens.withLock { $0[pair.0] = Date().addingTimeInterval(7_200) }
            refreshTokens.withLock { _ = $0.insert(pair.1) }
            return pair
        }

        func nextPostID() -> String {
            String(1_800_000_000_000_000_000 + posts.withLock { $0.count } + issued.withLock { $0 } * 1_000)
        }
    }

    let server: FakeNetworkServer
    let controls: Controls
    var url: String { server.baseURL }

    /// X's addresses, pointed here.
    var provider: OAuthProvider { XConnector.provider(at: URL(string: url)!) }

    static func start() async throws -> FakeX {
        let controls = Controls()
        let server = try await FakeNetworkServer { routes in
            routes.get("i", "oauth2", "authorize") { req async throws -> Response in
                guard req.query[String.self, at: "response_type"] == "code", req.query[String.self, at: "client_id"] == clientID,
                      req.query[String.self, at: "code_challenge_method"] == "S256",
                      let challenge = req.query[String.self, at: "code_challenge"], let redirect = req.query[String.self, at: "redirect_uri"],
                      let state = req.query[String.self, at: "state"], let scope = req.query[String.self, at: "scope"] else {
                    return Response(status: .badRequest, body: "Something went wrong. You weren't able to give access to the App.")
                }
                let code = "code-\(UUID().uuidString.prefix(8))"
                controls.codes.withLock { $0[code] = (challenge, redirect, scope) }
                var back = URLComponents(string: redirect)!
                back.queryItems = [URLQueryItem(name: "state", value: state), URLQueryItem(name: "code", value: code)]
                return Response(status: .found, headers: ["Location": back.url!.absoluteString])
            }
            routes.post("2", "oauth2", "token") { req async throws -> Response in
                let expected = "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
                guard req.headers.first(name: .authorization) == expected else {
                    return try json(["error": "unauthorized_client", "error_description": "Missing valid authorization header"], status: .unauthorized)
                }
                struct Grant: Content {
                    var grant_type: String?; var code: String?; var redirect_uri: String?; var code_verifier: String?; var refresh_token: String?
                }
                let grant = try req.content.decode(Grant.self)
                controls.grants.withLock { $0.append(grant.grant_type ?? "") }
                let invalid = try json(["error": "invalid_grant", "error_description": "Value passed for the token was invalid."], status: .badRequest)
                switch grant.grant_type {
                case "authorization_code":
                    guard let code = grant.code, let issued = controls.codes.withLock({ $0.removeValue(forKey: code) }),
                          issued.redirectURI == grant.redirect_uri, PKCEChallenge.of(grant.code_verifier ?? "") == issued.challenge else { return invalid }
                    let (access, refresh) = controls.issueTokens()
                    return try json(["token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": issued.scope, "refresh_token": refresh] as [String: Any])
                case "refresh_token":
                    guard let token = grant.refresh_token, controls.refreshTokens.withLock({ $0.remove(token) }) != nil else { return invalid }
                    let (access, refresh) = controls.issueTokens()
                    return try json(["token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": "tweet.read tweet.write users.read media.write offline.access",
                                     "refresh_token": refresh] as [String: Any])
                default:
                    return try json(["error": "unsupported_grant_type", "error_description": "Unsupported grant type"], status: .badRequest)
                }
            }
            let api = routes.grouped(Authorized(controls: controls))
            api.get("2", "users", "me") { _ async throws -> Response in
                try limited(json(["data": ["id": userID, "name": "Corner Bakery", "username": "cornerbakery",
                                           "profile_image_url": "https://pbs.twimg.com/profile_images/1/bakery_normal.jpg",
                                           "public_metrics": ["followers_count": controls.followers.withLock { $0 }.json, "following_count": 10,
                                                              "tweet_count": controls.posts.withLock { $0.count }, "listed_count": 0]]] as [String: Any]))
            }
            api.post("2", "tweets") { req async throws -> Response in
                if let failure = controls.postFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                    return try failureAnswer(failure)
                }
                guard let body = req.body.data, let input = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                      let text = input["text"] as? String, !text.isEmpty else {
                    return try problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
                }
                let replyTo = (input["reply"] as? [String: Any])?["in_reply_to_tweet_id"] as? String
                let mediaIDs = ((input["media"] as? [String: Any])?["media_ids"] as? [String]) ?? []
                for id in mediaIDs where controls.uploads.withLock({ $0[id]?.finalized != true || ($0[id]?.checksLeft ?? 0) > 0 }) {
                    return try problem(400, "Invalid Request", "Your media IDs are invalid.")
                }
                if let replyTo, !controls.posts.withLock({ $0.contains { $0.id == replyTo } }) {
                    return try problem(400, "Invalid Request", "The Tweet you are replying to does not exist.")
                }
                let stored = Self.stored(text)
                let duplicate = controls.posts.withLock { $0.contains { $0.authorID == userID && $0.text == stored } }
                if duplicate { return try problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.") }
                let post = Post(id: controls.nextPostID(), authorID: userID, text: stored, inReplyTo: replyTo, mediaIDs: mediaIDs, createdAt: Date())
                controls.posts.withLock { $0.append(post) }
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return try limited(json(["data": ["id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]]] as [String: Any], status: .created))
            }
            api.delete("2", "tweets", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                let removed = controls.posts.withLock { posts in
                    guard let index = posts.firstIndex(where: { $0.id == id && $0.authorID == userID }) else { return false }
                    posts.remove(at: index)
                    return true
                }
                return try removed ? limited(json(["data": ["deleted": true]])) : problem(404, "Not Found Error", "Could not find tweet with id: [\(id)].")
            }
            api.get("2", "users", ":id", "tweets") { req async throws -> Response in
                let since = req.query[String.self, at: "start_time"].flatMap { ISO8601DateFormatter().date(from: $0) } ?? .distantPast
                let mine = controls.posts.withLock { $0.filter { $0.authorID == req.parameters.get("id") && $0.createdAt >= since } }
                return try limited(json(["data": mine.reversed().map { entity($0) }, "meta": ["result_count": mine.count]] as [String: Any]))
            }
            api.get("2", "users", ":id", "mentions") { req async throws -> Response in
                controls.mentionQueries.withLock { $0.append(req.url.query ?? "") }
                let sinceID = req.query[String.self, at: "since_id"].flatMap { Int($0) } ?? 0
                let count = req.query[Int.self, at: "max_results"] ?? 10
                let mentions = controls.posts.withLock { $0.filter { $0.authorID != userID && $0.text.contains("@cornerbakery") && (Int($0.id) ?? 0) > sinceID } }
                let page = Array(mentions.reversed().prefix(count))
                var meta: [String: Any] = ["result_count": page.count]
                if let newest = page.first { meta["newest_id"] = newest.id; meta["oldest_id"] = page.last?.id }
                return try limited(json(["data": page.map { entity($0) }, "includes": ["users": users(page)], "meta": meta] as [String: Any]))
            }
            api.get("2", "tweets") { req async throws -> Response in
                let ids = (req.query[String.self, at: "ids"] ?? "").split(separator: ",").map(String.init)
                let found = controls.posts.withLock { posts in ids.compactMap { id in posts.first { $0.id == id } } }
                let missing = ids.filter { id in !found.contains { $0.id == id } }
                var answer: [String: Any] = ["data": found.map { post -> [String: Any] in
                    var entity = entity(post)
                    var metrics: [String: Any] = ["like_count": post.likes, "retweet_count": 1, "reply_count": 0, "quote_count": 0, "bookmark_count": 0]
                    if controls.givesImpressions.withLock({ $0 }) { metrics["impression_count"] = 40 }
                    entity["public_metrics"] = metrics
                    return entity
                }, "includes": ["users": users(found)]]
                if !missing.isEmpty {
                    answer["errors"] = missing.map { ["value": $0, "detail": "Could not find tweet with ids: [\($0)].", "title": "Not Found Error",
                                                       "resource_type": "tweet", "parameter": "ids", "resource_id": $0,
                                                       "type": "https://api.twitter.com/2/problems/resource-not-found"] }
                }
                return try limited(json(answer))
            }
            api.post("2", "media", "upload", "initialize") { req async throws -> Response in
                guard let body = req.body.data, let input = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                      let type = input["media_type"] as? String, input["total_bytes"] is Int, input["media_category"] is String else {
                    return try problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
                }
                let id = String(1_900_000_000_000_000_000 + controls.uploads.withLock { $0.count })
                controls.uploads.withLock { $0[id] = (Data(), type, false, type.hasPrefix("video/") ? 1 : 0, nil) }
                return try limited(json(["data": ["id": id, "media_key": "3_\(id)", "expires_after_secs": 86_400]] as [String: Any]))
            }
            api.on(.POST, "2", "media", "upload", ":id", "append", body: .collect(maxSize: "10mb")) { req async throws -> Response in
                struct Chunk: Content { var segment_index: Int?; var media: Data? }
                let id = req.parameters.get("id") ?? ""
                guard let chunk = try? req.content.decode(Chunk.self), let bytes = chunk.media, chunk.segment_index != nil,
                      controls.uploads.withLock({ $0[id] != nil }) else {
                    return try problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
                }
                controls.uploads.withLock { $0[id]?.bytes.append(bytes) }
                return try limited(json(["data": ["expires_at": 1_900_000_000]] as [String: Any]))
            }
            api.post("2", "media", "upload", ":id", "finalize") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard let upload = controls.uploads.withLock({ $0[id] }) else { return try problem(400, "Invalid Request", "Unknown media id.") }
                controls.uploads.withLock { $0[id]?.finalized = true }
                var data: [String: Any] = ["id": id, "media_key": "3_\(id)", "size": upload.bytes.count, "expires_after_secs": 86_400]
                if upload.checksLeft > 0 { data["processing_info"] = ["state": "pending", "check_after_secs": 0] }
                return try limited(json(["data": data]))
            }
            api.get("2", "media", "upload") { req async throws -> Response in
                let id = req.query[String.self, at: "media_id"] ?? ""
                guard req.query[String.self, at: "command"] == "STATUS", controls.uploads.withLock({ $0[id] != nil }) else {
                    return try problem(400, "Invalid Request", "Unknown media id.")
                }
                let left = controls.uploads.withLock { uploads -> Int in
                    uploads[id]!.checksLeft = max(0, uploads[id]!.checksLeft - 1)
                    return uploads[id]!.checksLeft
                }
                return try limited(json(["data": ["id": id, "processing_info": ["state": left == 0 ? "succeeded" : "in_progress", "check_after_secs": 0]]] as [String: Any]))
            }
            api.post("2", "media", "metadata") { req async throws -> Response in
                guard let body = req.body.data, let input = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                      let id = input["id"] as? String, let alt = ((input["metadata"] as? [String: Any])?["alt_text"] as? [String: Any])?["text"] as? String else {
                    return try problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
                }
                controls.uploads.withLock { $0[id]?.altText = alt }
                return try limited(json(["data": ["associated_metadata": true]]))
            }
        }
        return FakeX(server: server, controls: controls)

        @Sendable func entity(_ post: Post) -> [String: Any] {
            var entity: [String: Any] = ["id": post.id, "text": post.text, "author_id": post.authorID, "conversation_id": post.inReplyTo ?? post.id,
                                         "created_at": ISO8601DateFormatter().string(from: post.createdAt), "edit_history_tweet_ids": [post.id]]
            if let parent = post.inReplyTo { entity["referenced_tweets"] = [["type": "replied_to", "id": parent]] }
            return entity
        }
        @Sendable func users(_ posts: [Post]) -> [[String: Any]] {
            Set(posts.map(\.authorID)).map { id in
                id == userID ? ["id": id, "name": "Corner Bakery", "username": "cornerbakery"] : ["id": id, "name": "Mia Miller", "username": "miamiller"]
            }
        }
    }

    /// A post as X stores and shows it: links made `t.co` ones, `&` `<` `>` escaped.
    static func stored(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            word.hasPrefix("https://") || word.hasPrefix("http://") ? "https://t.co/\(abs(word.hashValue % 100_000))" : String(word)
        }.joined(separator: " ").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Someone else's post mentioning (or replying to) the bakery.
    func mention(_ text: String, replyingTo: String? = nil) -> String {
        let post = Post(id: controls.nextPostID(), authorID: "1500", text: text, inReplyTo: replyingTo, mediaIDs: [], createdAt: Date())
        controls.posts.withLock { $0.append(post) }
        return post.id
    }

    func stop() async throws { try await server.stop() }

    static func with(_ body: (FakeX) async throws -> Void) async throws {
        let fake = try await start()
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }

    /// The bearer token must be one the token endpoint issued, and not yet ended.
    struct Authorized: AsyncMiddleware {
        let controls: Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let token = request.headers.bearerAuthorization?.token ?? ""
            guard let ends = controls.accessTokens.withLock({ $0[token] }), ends > Date() else {
                return try problem(401, "Unauthorized", "Unauthorized")
            }
            return try await next.respond(to: request)
        }
    }
}

/// X's problem document.
private func problem(_ status: Int, _ title: String, _ detail: String) throws -> Response {
    try limited(json(["title": title, "detail": detail, "type": "about:blank", "status": status] as [String: Any], status: HTTPStatus(statusCode: status)))
}

/// The answers a failing `POST /2/tweets` gives, as X gives them.
private func failureAnswer(_ status: HTTPStatus) throws -> Response {
    switch status.code {
    case 429:
        let response = try problem(429, "Too Many Requests", "Too Many Requests")
        response.headers.replaceOrAdd(name: "x-rate-limit-remaining", value: "0")
        response.headers.replaceOrAdd(name: "x-rate-limit-reset", value: String(Int(Date().timeIntervalSince1970) + 600))
        return response
    case 401: return try problem(401, "Unauthorized", "Unauthorized")
    default: return try problem(Int(status.code), "Service Unavailable", "Service Unavailable")
    }
}

/// Every answer says how much of the window is left.
private func limited(_ response: Response) -> Response {
    if response.headers.first(name: "x-rate-limit-limit") == nil {
        response.headers.add(name: "x-rate-limit-limit", value: "100")
        response.headers.add(name: "x-rate-limit-remaining", value: "99")
        response.headers.add(name: "x-rate-limit-reset", value: String(Int(Date().timeIntervalSince1970) + 900))
    }
    return response
}
