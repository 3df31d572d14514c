import Foundation
import Networks
import Synchronization
import Vapor

/// LinkedIn's OAuth 2 (3-legged) and versioned Community Management API (www.linkedin.com's `oauth/v2`, api.linkedin.com's
/// `v2/userinfo` and `rest/…`, one server here) on loopback: the authorization page (which sends the person straight back
/// with a code, as if they allowed Trestle; scopes space-separated, `openid` among them), the token endpoint (client
/// credentials in the form body; redirect URI and PKCE verifier checked; a code spent by its first use) answering 60-day
/// access tokens and, when the app has them, a year's refresh token that is never rotated; `userinfo`, the member's
/// organisations, images and videos uploaded in parts, posts (their commentary "little text", every reserved character
/// backslash-escaped), an author's posts, deletion, comments and replies, social actions, and an organisation's followers.
/// Every `rest/` call carries `LinkedIn-Version: YYYYMM` and Rest.li 2.0.0; URNs in paths come percent-encoded. Errors are
/// `{"status", "code", "message"}`. Tokens share a counter (`li-access-1`, `li-refresh-1`, `li-access-2`…), posts and
/// comments another (`urn:li:share:7000000000000000001`, its activity `urn:li:activity:7000000000000000001`, a comment on it
/// `urn:li:comment:(urn:li:activity:7000000000000000001,7000000000000000002)`), images and videos a third
/// (`urn:li:image:C4E10AQ1`, put at `/upload/image/1`; `urn:li:video:C5F10AQ2`, its parts at `/upload/video/2/0`, `…/1`…).
struct FakeLinkedIn: Sendable {
    static let clientID = "trestle-linkedin-client"
    static let clientSecret = "trestle-linkedin-secret"
    /// The member who signs in, `urn:li:person:782bbtaQ`, administrator of both organisations.
    static let memberID = "782bbtaQ"
    static let organizationID = "2414183", otherOrganizationID = "2414184"
    static var member: String { "urn:li:person:\(memberID)" }
    static let scopes: Set = ["openid", "profile", "email", "w_member_social", "r_organization_social", "w_organization_social", "rw_organization_admin"]
    static let partSize = 4_194_304  // the bytes of every video part but the last

    /// An organisation the member has a role on (`organizationAcls` lists it, with its role).
    struct Organization: Sendable { var id, name, vanityName: String, role = "ADMINISTRATOR"; var urn: String { "urn:li:organization:\(id)" } }

    /// A post as LinkedIn keeps it: its commentary as shown, not as little text.
    struct Post: Sendable {
        var id, author, commentary: String, mediaIDs: [String] = [], altTexts: [String?] = [], createdAt = Date()
        var likes: FakeCount = .int(0), lifecycle = "PUBLISHED"
        var number: String { String(id.split(separator: ":").last ?? "") }
        var activity: String { "urn:li:activity:\(number)" }
    }

    /// A comment on a post, or a reply (`parentURN`, always a top-level comment); `agent` the member when an organisation wrote it.
    struct Comment: Sendable { var urn, id, postURN: String, parentURN: String?, actor: String, agent: String?, text: String, createdAt = Date() }

    /// A video: its parts as uploaded (by index), whether finalized, and reads of its status left that answer `PROCESSING`.
    struct Video: Sendable {
        var owner: String, size: Int, parts: [Int: Data] = [:], finalized = false, checksLeft = 0
        var partCount: Int { max(1, (size + FakeLinkedIn.partSize - 1) / FakeLinkedIn.partSize) }
        var available: Bool { finalized && checksLeft == 0 }
        /// The video as a read of its status finds it, one check fewer left after.
        mutating func read() -> Video { defer { if finalized { checksLeft = max(0, checksLeft - 1) } }; return self }
    }

    final class Controls: Sendable {
        /// Codes handed out by the authorization page: their challenge, redirect URI and scopes.
        let codes = Mutex<[String: (challenge: String, redirectURI: String, scopes: [String])]>([:])
        /// Access tokens that work, and when they end.
        let accessTokens = Mutex<[String: Date]>([:])
        /// Refresh tokens that work, when they end, and the scopes they renew; using one keeps it.
        let refreshTokens = Mutex<[String: (ends: Date, scope: String)]>([:])
        /// Whether the app has programmatic refresh (most don't): without it, no refresh token is given.
        let givesRefreshTokens = Mutex(true)
        /// Every grant asked of the token endpoint, in order (`authorization_code`, `refresh_token`).
        let grants = Mutex<[String]>([])
        /// Every `LinkedIn-Version` a `rest/` call carried, in order.
        let versions = Mutex<[String]>([])
        let issued = Mutex(0), objectsIssued = Mutex(0), mediaIssued = Mutex(0)
        /// When set, the app may not list organisations (LinkedIn did not grant it the Community Management API): 403 `ACCESS_DENIED`.
        let organizationsDenied = Mutex(false)
        /// The organisations `organizationAcls` lists, in its order; a post's author must be one of them or the member.
        let organizations = Mutex<[Organization]>([
            Organization(id: organizationID, name: "Corner Bakery", vanityName: "corner-bakery"),
            Organization(id: otherOrganizationID, name: "Corner Café", vanityName: "corner-cafe"),
        ])
        /// Images by URN: their owner, bytes, and whether they were uploaded.
        let images = Mutex<[String: (owner: String, bytes: Data, uploaded: Bool)]>([:])
        let videos = Mutex<[String: Video]>([:])
        /// How many reads of a finalized video's status answer `PROCESSING` before `AVAILABLE`.
        let videoChecks = Mutex(1)
        /// Every post and comment or reply (a deleted one gone), in creation order.
        let posts = Mutex<[Post]>([]), comments = Mutex<[Comment]>([])
        /// Answers `POST rest/posts` gives instead of posting, first first (429, 401, 500 or 503).
        let postFailures = Mutex<[HTTPStatus]>([])
        /// When set, a post is stored and its answer is this late.
        let lateAnswer = Mutex<Duration?>(nil)
        /// Every organisation's `firstDegreeSize`.
        let followers = Mutex<FakeCount>(.int(860))
        /// The fake's own address, for the upload URLs it hands out; set once the server listens.
        let address = Mutex("")
        var base: String { address.withLock { $0 } }

        /// A fresh access token for `scope`, with a new refresh token (when the app has them) or `refresh` again; the answer.
        func issue(scope: String, keeping refresh: String? = nil) -> [String: Any] {
            let number = issued.withLock { $0 += 1; return $0 }, access = "li-access-\(number)"
            accessTokens.withLock { $0[access] = Date().addingTimeInterval(5_184_000) }
            var answer: [String: Any] = ["access_token": access, "expires_in": 5_184_000, "scope": scope]
            if let refresh = refresh ?? (givesRefreshTokens.withLock { $0 } ? "li-refresh-\(number)" : nil) {
                let ends = refreshTokens.withLock { $0[refresh] = $0[refresh] ?? (Date().addingTimeInterval(31_536_000), scope); return $0[refresh]!.ends }
                answer.merge(["refresh_token": refresh, "refresh_token_expires_in": Int(ends.timeIntervalSinceNow.rounded())]) { $1 }
            }
            return answer
        }
        /// The next post or comment number.
        func nextNumber() -> String { String(7_000_000_000_000_000_000 + objectsIssued.withLock { $0 += 1; return $0 }) }
        /// Whether the member may post or comment as `urn`: themself, or an organisation they have a role on.
        func mayAct(as urn: String) -> Bool { urn == FakeLinkedIn.member || organizations.withLock { $0.contains { $0.urn == urn } } }
        /// The post a share or activity URN names.
        func post(_ urn: String) -> Post? { posts.withLock { $0.first { $0.id == urn || $0.activity == urn } } }
        /// A comment on a post, or a reply (to its parent's parent when `parentURN` is itself a reply); its URN.
        func addComment(_ text: String, on postURN: String, replyingTo parentURN: String?, actor: String, agent: String? = nil) -> String {
            let id = nextNumber(), post = post(postURN)
            let urn = "urn:li:comment:(\(post?.activity ?? postURN),\(id))"
            comments.withLock { all in
                let parent = parentURN.map { urn in all.first { $0.urn == urn }?.parentURN ?? urn }
                all.append(Comment(urn: urn, id: id, postURN: post?.id ?? postURN, parentURN: parent, actor: actor, agent: agent, text: text))
            }
            return urn
        }
    }

    let server: FakeNetworkServer
    let controls: Controls
    var url: String { server.baseURL }

    /// LinkedIn's addresses, pointed here.
    var provider: OAuthProvider { LinkedInConnector.provider(at: URL(string: url)!) }

    static func start() async throws -> FakeLinkedIn {
        let controls = Controls()
        let server = try await FakeNetworkServer { routes in
            routes.get("oauth", "v2", "authorization") { req async throws -> Response in
                let given = { (name: String) in req.query[String.self, at: name] }
                guard given("response_type") == "code", given("client_id") == clientID, given("code_challenge_method") == "S256",
                      let challenge = given("code_challenge"), let redirect = given("redirect_uri"), var back = URLComponents(string: redirect),
                      back.scheme != nil, let state = given("state") else {
                    return Response(status: .badRequest, body: "Bummer, something went wrong. The app, redirect URI or code challenge are not right.")
                }
                let scopes = (given("scope") ?? "").split(separator: " ").map(String.init)
                var items = back.queryItems ?? []
                if let wrong = scopes.first(where: { !Self.scopes.contains($0) }) ?? (scopes.contains("openid") ? nil : "openid") {
                    items += [URLQueryItem(name: "error", value: "unauthorized_scope_error"),
                              URLQueryItem(name: "error_description", value: "Scope \"\(wrong)\" is not authorized for your application"), URLQueryItem(name: "state", value: state)]
                } else {
                    let code = "li-code-\(UUID().uuidString.prefix(8))"
                    controls.codes.withLock { $0[code] = (challenge, redirect, scopes) }
                    items += [URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: state)]
                }
                back.queryItems = items
                return Response(status: .found, headers: ["Location": back.url!.absoluteString])
            }
            routes.post("oauth", "v2", "accessToken") { req async throws -> Response in
                struct Grant: Content { var grant_type, code, redirect_uri, client_id, client_secret, code_verifier, refresh_token: String? }
                guard req.headers.contentType?.subType == "x-www-form-urlencoded", let grant = try? req.content.decode(Grant.self, as: .urlEncodedForm) else {
                    return try oauthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded")
                }
                controls.grants.withLock { $0.append(grant.grant_type ?? "") }
                guard grant.client_id == clientID, grant.client_secret == clientSecret else {
                    return try oauthError("invalid_client", "Client authentication failed", status: .unauthorized)
                }
                switch grant.grant_type {
                case "authorization_code":
                    for (name, value) in [("code", grant.code), ("redirect_uri", grant.redirect_uri)] where value == nil {
                        return try oauthError("invalid_request", "A required parameter \"\(name)\" is missing")
                    }
                    guard let issued = controls.codes.withLock({ $0.removeValue(forKey: grant.code!) }), issued.redirectURI == grant.redirect_uri,
                          PKCEChallenge.of(grant.code_verifier ?? "") == issued.challenge else {
                        return try oauthError("invalid_request", "Unable to retrieve access token: appid/redirect uri/code verifier does not match "
                                              + "authorization code. Or authorization code expired. Or external member binding exists")
                    }
                    return try json(controls.issue(scope: issued.scopes.joined(separator: ",")))
                case "refresh_token":
                    guard let token = grant.refresh_token, let known = controls.refreshTokens.withLock({ $0[token] }), known.ends > Date() else {
                        return try oauthError("invalid_grant", "The provided authorization grant or refresh token is invalid, expired or revoked.")
                    }
                    return try json(controls.issue(scope: known.scope, keeping: token))
                default:
                    return try oauthError("invalid_request", "Unable to retrieve access token: the grant_type is missing or unsupported")
                }
            }
            let signedIn = routes.grouped(Authorized(controls: controls))
            signedIn.get("v2", "userinfo") { _ async throws -> Response in
                try json(["sub": memberID, "name": "Ana Baker", "given_name": "Ana", "family_name": "Baker",
                          "picture": "https://media.licdn.com/ana.jpg", "locale": ["country": "US", "language": "en"]] as [String: Any])
            }
            signedIn.on(.PUT, "upload", "image", ":n", body: .collect(maxSize: "20mb")) { req async throws -> Response in
                let urn = "urn:li:image:C4E10AQ\(req.parameters.get("n") ?? "")"
                guard controls.images.withLock({ $0[urn] != nil }) else { return try notFound(urn) }
                guard let body = req.body.data, body.readableBytes > 0 else { return try badRequest("The upload has no bytes") }
                controls.images.withLock { $0[urn]?.bytes = Data(buffer: body); $0[urn]?.uploaded = true }
                return Response(status: .created)
            }
            signedIn.on(.PUT, "upload", "video", ":n", ":part", body: .collect(maxSize: "8mb")) { req async throws -> Response in
                let n = req.parameters.get("n") ?? "", urn = "urn:li:video:C5F10AQ\(n)", part = req.parameters.get("part", as: Int.self) ?? -1
                guard let video = controls.videos.withLock({ $0[urn] }), (0..<video.partCount).contains(part), !video.finalized else { return try notFound(urn) }
                controls.videos.withLock { $0[urn]?.parts[part] = req.body.data.map { Data(buffer: $0) } ?? Data() }
                return Response(status: .ok, headers: ["ETag": "\"etag-\(n)-\(part)\""])
            }
            let rest = routes.grouped(Versioned(controls: controls), Authorized(controls: controls)).grouped("rest")
            rest.get("organizationAcls") { req async throws -> Response in
                guard req.query[String.self, at: "q"] == "roleAssignee" else { return try badRequest("Invalid query parameters passed to request") }
                if controls.organizationsDenied.withLock({ $0 }) {
                    return try restError(403, "ACCESS_DENIED", "Not enough permissions to access: organizationAcls.FINDER-roleAssignee.20261101")
                }
                let role = req.query[String.self, at: "role"], state = req.query[String.self, at: "state"]
                let held = controls.organizations.withLock { $0 }.filter { role == nil || $0.role == role } .filter { _ in state == nil || state == "APPROVED" }
                return try page(held.map { ["roleAssignee": member, "state": "APPROVED", "role": $0.role, "organization": $0.urn] })
            }
            rest.get("organizations", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard let found = controls.organizations.withLock({ $0.first { $0.id == id } }) else { return try notFound("urn:li:organization:\(id)") }
                return try json(["id": Int(found.id) ?? 0, "localizedName": found.name, "vanityName": found.vanityName] as [String: Any])
            }
            rest.post("images") { req async throws -> Response in
                let request = object(req)?["initializeUploadRequest"] as? [String: Any], owner = request?["owner"] as? String ?? ""
                guard req.query[String.self, at: "action"] == "initializeUpload", request != nil else { return try badRequest("Unknown action, or no initializeUploadRequest") }
                guard controls.mayAct(as: owner) else { return try denied("images.initializeUpload") }
                let n = controls.mediaIssued.withLock { $0 += 1; return $0 }, urn = "urn:li:image:C4E10AQ\(n)"
                controls.images.withLock { $0[urn] = (owner, Data(), false) }
                return try json(["value": ["uploadUrlExpiresAt": 1_790_000_000_000, "uploadUrl": "\(controls.base)/upload/image/\(n)", "image": urn]] as [String: Any])
            }
            rest.post("videos") { req async throws -> Response in
                let action = req.query[String.self, at: "action"] ?? "", body = object(req)
                if action == "initializeUpload", let request = body?["initializeUploadRequest"] as? [String: Any], let size = request["fileSizeBytes"] as? Int, size > 0 {
                    let owner = request["owner"] as? String ?? ""
                    guard controls.mayAct(as: owner) else { return try denied("videos.initializeUpload") }
                    let n = controls.mediaIssued.withLock { $0 += 1; return $0 }, urn = "urn:li:video:C5F10AQ\(n)", video = Video(owner: owner, size: size)
                    controls.videos.withLock { $0[urn] = video }
                    let instructions = (0..<video.partCount).map { part -> [String: Any] in
                        ["uploadUrl": "\(controls.base)/upload/video/\(n)/\(part)", "firstByte": part * partSize, "lastByte": min(size, (part + 1) * partSize) - 1]
                    }
                    return try json(["value": ["uploadUrlsExpireAt": 1_790_000_000_000, "video": urn, "uploadInstructions": instructions, "uploadToken": ""]] as [String: Any])
                }
                guard action == "finalizeUpload", let request = body?["finalizeUploadRequest"] as? [String: Any], let urn = request["video"] as? String else {
                    return try badRequest("Unknown action, or no initializeUploadRequest with fileSizeBytes or finalizeUploadRequest")
                }
                guard let video = controls.videos.withLock({ $0[urn] }) else { return try notFound(urn) }
                let n = urn.replacingOccurrences(of: "urn:li:video:C5F10AQ", with: "")
                let given = (request["uploadedPartIds"] as? [String] ?? []).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                guard given == (0..<video.partCount).map({ "etag-\(n)-\($0)" }), video.parts.count == video.partCount else {
                    return try badRequest("uploadedPartIds must be the ETags of all \(video.partCount) parts, in order")
                }
                let bytes = (0..<video.partCount).reduce(0) { $0 + (video.parts[$1]?.count ?? 0) }
                guard bytes == video.size else { return try badRequest("Uploaded \(bytes) bytes, but fileSizeBytes was \(video.size)") }
                let checks = controls.videoChecks.withLock { $0 }
                controls.videos.withLock { $0[urn]?.finalized = true; $0[urn]?.checksLeft = checks }
                return Response(status: .ok)
            }
            rest.get("videos", ":urn") { req async throws -> Response in
                let urn = req.parameters.get("urn") ?? ""
                guard let video = controls.videos.withLock({ $0[urn]?.read() }) else { return try notFound(urn) }
                return try json(["id": urn, "owner": video.owner, "status": !video.finalized ? "WAITING_UPLOAD" : video.checksLeft > 0 ? "PROCESSING" : "AVAILABLE"])
            }
            rest.on(.POST, "posts", body: .collect(maxSize: "1mb")) { req async throws -> Response in
                if let failure = controls.postFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return try failureAnswer(failure) }
                guard let input = object(req) else { return try badRequest("The request body is not a JSON object") }
                for field in ["author", "commentary", "visibility", "distribution", "lifecycleState"] where input[field] == nil {
                    return try unprocessable("ERROR :: /\(field) :: field is required but not found and has no default value")
                }
                let author = input["author"] as? String ?? ""
                guard controls.mayAct(as: author) else { return try denied("partnerApiPostsExternal.CREATE") }
                guard let commentary = (input["commentary"] as? String).flatMap(unescaped) else { return try unprocessable("Unable to parse commentary: unescaped reserved character") }
                guard commentary.count <= 3_000 else { return try unprocessable("ERROR :: /commentary :: length \(commentary.count) exceeds 3000 characters") }
                let content = input["content"] as? [String: Any], multi = (content?["multiImage"] as? [String: Any])?["images"] as? [[String: Any]]
                let media = (content?["media"] as? [String: Any]).map { [$0] } ?? multi ?? []
                if let multi, !(2...20).contains(multi.count) { return try unprocessable("ERROR :: /content/multiImage/images :: must have between 2 and 20 images") }
                let ids = media.map { $0["id"] as? String ?? "" }
                for id in ids {
                    let ready = id.hasPrefix("urn:li:image:") ? controls.images.withLock { $0[id].map { $0.uploaded && $0.owner == author } }
                        : multi == nil ? controls.videos.withLock { $0[id].map { $0.available && $0.owner == author } } : nil
                    guard ready == true else { return try badRequest("Media \(id) is unknown, not uploaded or processed yet, or not the author's") }
                }
                if !commentary.isEmpty, let twin = controls.posts.withLock({ $0.first { $0.author == author && $0.commentary == commentary } }) {
                    return try restError(422, "DUPLICATE_POST", "Content is a duplicate of \(twin.id)")
                }
                let post = Post(id: "urn:li:share:\(controls.nextNumber())", author: author, commentary: commentary, mediaIDs: ids, altTexts: media.map { $0["altText"] as? String })
                controls.posts.withLock { $0.append(post) }
                if let late = controls.lateAnswer.withLock({ $0 }) { try await Task.sleep(for: late) }
                return Response(status: .created, headers: ["x-restli-id": post.id])
            }
            rest.get("posts") { req async throws -> Response in
                guard req.query[String.self, at: "q"] == "author", let author = req.query[String.self, at: "author"] else {
                    return try badRequest("Invalid query parameters passed to request")
                }
                guard controls.mayAct(as: author) else { return try denied("partnerApiPostsExternal.FINDER-author") }
                let count = min(max(req.query[Int.self, at: "count"] ?? 10, 1), 100), start = max(req.query[Int.self, at: "start"] ?? 0, 0)
                let theirs = controls.posts.withLock { $0.filter { $0.author == author } }.reversed().sorted { $0.createdAt > $1.createdAt }
                return try page(theirs.dropFirst(start).prefix(count).map(element), start: start, count: count, total: theirs.count)
            }
            rest.delete("posts", ":urn") { req async throws -> Response in
                let urn = req.parameters.get("urn") ?? ""
                guard let post = controls.post(urn) else { return try notFound(urn) }
                controls.posts.withLock { $0.removeAll { $0.id == post.id } }; controls.comments.withLock { $0.removeAll { $0.postURN == post.id } }
                return Response(status: .noContent)
            }
            rest.get("socialActions", ":urn", "comments") { req async throws -> Response in
                let urn = req.parameters.get("urn") ?? "", all = controls.comments.withLock { $0 }
                // A post's are all its comments and replies; a comment's, its replies.
                let post = controls.post(urn), chosen = all.filter { comment in post.map { comment.postURN == $0.id } ?? (comment.parentURN == urn) }
                guard post != nil || all.contains(where: { $0.urn == urn }) else { return try notFound(urn) }
                let start = max(req.query[Int.self, at: "start"] ?? 0, 0), count = req.query[Int.self, at: "count"] ?? max(chosen.count, 10)
                let oldest = chosen.sorted { $0.createdAt < $1.createdAt }
                return try page(oldest.dropFirst(start).prefix(count).map(element), start: start, count: count, total: chosen.count)
            }
            rest.post("socialActions", ":urn", "comments") { req async throws -> Response in
                let urn = req.parameters.get("urn") ?? "", parent = controls.comments.withLock { $0.first { $0.urn == urn } }
                guard let post = controls.post(parent?.postURN ?? urn) else { return try notFound(urn) }
                guard let input = object(req), let actor = input["actor"] as? String,
                      let text = (input["message"] as? [String: Any])?["text"] as? String, !text.isEmpty else {
                    return try unprocessable("ERROR :: /actor or /message/text :: field is required but not found and has no default value")
                }
                guard controls.mayAct(as: actor) else { return try denied("partnerApiSocialActions.CREATE") }
                if let object = input["object"] as? String, object != post.id, object != post.activity {
                    return try badRequest("object \(object) does not match the post commented on, \(post.id)")
                }
                let made = controls.addComment(text, on: post.id, replyingTo: parent?.urn, actor: actor, agent: actor == member ? nil : member)
                return try json(element(controls.comments.withLock { $0.first { $0.urn == made }! }), status: .created, headers: ["x-restli-id": made])
            }
            rest.get("socialActions", ":urn") { req async throws -> Response in
                let urn = req.parameters.get("urn") ?? ""
                guard let post = controls.post(urn) else { return try notFound(urn) }
                let comments = controls.comments.withLock { $0.filter { $0.postURN == post.id } }
                return try json(["likesSummary": ["totalLikes": post.likes.json, "likedByCurrentUser": false],
                                 "commentsSummary": ["aggregatedTotalComments": comments.count, "totalFirstLevelComments": comments.filter { $0.parentURN == nil }.count],
                                 "target": urn] as [String: Any])
            }
            rest.get("networkSizes", ":urn") { req async throws -> Response in
                let urn = req.parameters.get("urn") ?? ""
                guard req.query[String.self, at: "edgeType"] == "COMPANY_FOLLOWED_BY_MEMBER" else { return try badRequest("edgeType must be COMPANY_FOLLOWED_BY_MEMBER") }
                if urn.hasPrefix("urn:li:person:") { return try json(["status": 400, "message": "Invalid edgeType for a person"] as [String: Any], status: .badRequest) }
                guard controls.organizations.withLock({ $0.contains { $0.urn == urn } }) else { return try notFound(urn) }
                return try json(["firstDegreeSize": controls.followers.withLock { $0 }.json])
            }
        }
        controls.address.withLock { $0 = server.baseURL }
        return FakeLinkedIn(server: server, controls: controls)
    }

    /// The reserved characters of little text, each written `\` and itself to mean itself.
    static let reserved: Set<Character> = ["|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "\\", "*", "_", "~"]

    /// The text little text shows, or nil when a reserved character is not escaped (a backslash escapes only a reserved one).
    static func unescaped(_ little: String) -> String? {
        var text = "", escaping = false
        for character in little {
            if !escaping, character == "\\" { escaping = true; continue }
            guard escaping == reserved.contains(character) else { return nil }
            text.append(character)
            escaping = false
        }
        return escaping ? nil : text
    }

    /// Text as little text: every reserved character escaped.
    static func escaped(_ text: String) -> String { String(text.flatMap { reserved.contains($0) ? ["\\", $0] : [$0] }) }

    /// A post as `rest/posts` answers it: its commentary as little text again, its media as it was given.
    static func element(_ post: Post) -> [String: Any] {
        var element: [String: Any] = ["id": post.id, "author": post.author, "commentary": escaped(post.commentary), "createdAt": milliseconds(post.createdAt),
                                      "lastModifiedAt": milliseconds(post.createdAt), "publishedAt": milliseconds(post.createdAt),
                                      "lifecycleState": post.lifecycle, "visibility": "PUBLIC", "isReshareDisabledByAuthor": false,
                                      "distribution": ["feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []] as [String: Any]]
        let media = zip(post.mediaIDs, post.altTexts).map { ["id": $0, "altText": $1].compactMapValues { $0 } }
        if media.count == 1 { element["content"] = ["media": media[0]] } else if media.count > 1 { element["content"] = ["multiImage": ["images": media]] }
        return element
    }

    /// A comment as `rest/socialActions/…/comments` answers it; `parentComment` only for a reply.
    static func element(_ comment: Comment) -> [String: Any] {
        let stamp: [String: Any] = ["actor": comment.agent ?? comment.actor, "time": milliseconds(comment.createdAt)]
        var element: [String: Any] = ["actor": comment.actor, "commentUrn": comment.urn, "id": comment.id, "message": ["text": comment.text],
                                      "created": stamp, "lastModified": stamp, "object": comment.postURN]
        if let agent = comment.agent { element["agent"] = agent }
        if let parent = comment.parentURN { element["parentComment"] = parent }
        return element
    }

    /// Someone else's comment on a post, or reply to a comment (to its parent when that is a reply); its URN.
    @discardableResult func comment(_ text: String, on postURN: String, by actor: String = "urn:li:person:mia123", replyingTo parent: String? = nil) -> String {
        controls.addComment(text, on: postURN, replyingTo: parent, actor: actor)
    }

    /// Ends every access token, as if sixty days had passed; refresh tokens stay good (empty `controls.refreshTokens` to revoke them too).
    func expireTokens() { controls.accessTokens.withLock { $0.removeAll() } }

    func stop() async throws { try await server.stop() }

    static func with(_ body: (FakeLinkedIn) async throws -> Void) async throws {
        let fake = try await start()
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }

    /// A `rest/` call must name its version (`YYYYMM`) and Rest.li 2.0.0.
    struct Versioned: AsyncMiddleware {
        let controls: Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let version = request.headers.first(name: "LinkedIn-Version")
            if let version { controls.versions.withLock { $0.append(version) } }
            guard let version, version.count == 6, version.allSatisfy({ $0.isASCII && $0.isNumber }), (1...12).contains(Int(version.suffix(2)) ?? 0) else {
                return try restError(400, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
            }
            guard request.headers.first(name: "X-Restli-Protocol-Version") == "2.0.0" else { return try badRequest("X-Restli-Protocol-Version must be 2.0.0") }
            return try await next.respond(to: request)
        }
    }

    /// The bearer token must be one the token endpoint issued, and not yet ended.
    struct Authorized: AsyncMiddleware {
        let controls: Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let token = request.headers.bearerAuthorization?.token ?? ""
            guard let ends = controls.accessTokens.withLock({ $0[token] }), ends > Date() else { return try invalidToken() }
            return try await next.respond(to: request)
        }
    }
}

/// A JSON request body as an object, or nil.
private func object(_ req: Request) -> [String: Any]? { req.body.data.flatMap { try? JSONSerialization.jsonObject(with: Data(buffer: $0)) as? [String: Any] } }

private func milliseconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970 * 1_000) }

/// LinkedIn's error document.
private func restError(_ status: Int, _ code: String, _ message: String) throws -> Response {
    try json(["status": status, "code": code, "message": message] as [String: Any], status: HTTPStatus(statusCode: status))
}

private func badRequest(_ message: String) throws -> Response { try restError(400, "BAD_REQUEST", message) }
private func unprocessable(_ message: String) throws -> Response { try restError(422, "UNPROCESSABLE_ENTITY", message) }
private func notFound(_ urn: String) throws -> Response { try restError(404, "NOT_FOUND", "Not Found: \(urn) does not exist") }
private func denied(_ resource: String) throws -> Response { try restError(403, "ACCESS_DENIED", "Not enough permissions to access: \(resource)") }

private func invalidToken() throws -> Response {
    try json(["status": 401, "serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token"] as [String: Any], status: .unauthorized)
}

/// The token endpoint's error document.
private func oauthError(_ error: String, _ description: String, status: HTTPStatus = .badRequest) throws -> Response {
    try json(["error": error, "error_description": description], status: status)
}

/// A finder's answer: its elements, and Rest.li's paging (`total` when the finder counts).
private func page(_ elements: [[String: Any]], start: Int = 0, count: Int = 10, total: Int? = nil) throws -> Response {
    var paging: [String: Any] = ["count": count, "start": start, "links": []]
    if let total { paging["total"] = total }
    return try json(["elements": elements, "paging": paging] as [String: Any])
}

/// The answers a failing `POST rest/posts` gives, as LinkedIn gives them: a throttle says nothing of when to retry.
private func failureAnswer(_ status: HTTPStatus) throws -> Response {
    switch status.code {
    case 429:
        return try json(["status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS",
                         "message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."] as [String: Any], status: status)
    case 401: return try invalidToken()
    default: return try json(["status": Int(status.code), "message": "Service Unavailable"] as [String: Any], status: status)
    }
}
