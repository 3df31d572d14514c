import Foundation
import Synchronization
import Vapor

/// A Mastodon instance as its API documentation describes it: `verify_credentials` with a
/// bearer token (401 `{"error": …}` otherwise) and `/api/v2/instance` with the instance's
/// `configuration.statuses` limits — or only `/api/v1/instance`, like servers before 4.0.
///
/// Signing in: `POST /api/v1/apps` registers a client, and `POST /oauth/token` trades a code for
/// the first account's token when the PKCE verifier matches. The person's approval on
/// `/oauth/authorize` is played by the test: a code is `code-` + the challenge it was issued
/// for, so the fake needs no memory of it.
struct FakeMastodon: Sendable {
    struct Account: Sendable {
        var id: String
        var username: String
        var displayName: String
    }

    struct Settings: Sendable {
        /// The domain in handles, which may differ from the web address.
        var domain = "bakery.example"
        var maxCharacters = 500
        var charactersReservedPerURL = 23
        var hasInstanceV2 = true
        /// Answer every call with 429 and `X-RateLimit-Reset`.
        var rateLimited = false
        /// What `X-RateLimit-Reset` says when rate limited; two minutes from now unless set.
        var rateLimitReset: String?
        var accounts: [String: Account] = ["good-token": Account(id: "10984", username: "bakery", displayName: "Corner Bakery")]
        /// Mastodon keeps an `Idempotency-Key` for an hour; some compatible servers ignore it.
        var honoursIdempotencyKey = true
        /// How long every post takes to answer.
        var latency: Duration = .zero
        /// What `configuration.urls.streaming` names; the fake's own address (as `ws://`) when nil.
        var streamingURL: String?
        /// How often an open stream says `:thump`; never when nil, and then not even the
        /// opening comment: a connection that has gone silent.
        var heartbeat: Duration? = .seconds(1)
    }

    /// What goes wrong, once, when a status with a given text is posted.
    enum Trouble: Sendable {
        /// 500 before anything is stored.
        case serverError
        /// The status is stored, then the answer is a 500.
        case serverErrorAfterStoring
        /// 429 with `X-RateLimit-Reset` this many seconds ahead.
        case rateLimited(seconds: Int)
        /// The status is stored, and the answer comes this late (after the client gave up).
        case lateAnswer(Duration)
    }

    /// A status as the instance stores it.
    struct Status: Sendable {
        var id: String
        var accountID: String
        var text: String
        var inReplyToID: String?
        var createdAt: Date
        var mediaIDs: [String] = []
        var visibility = "public"
    }

    /// An uploaded file; a video is still being processed until it has been asked about once.
    struct Media: Sendable {
        var id: String
        var description: String
        var contentType: String
        var bytes: Int
        var polled = 0
    }

    static let clientID = "trestle-client-id"
    static let clientSecret = "trestle-client-secret"

    /// What a test changes on the instance while it runs: an admin raising the limit, a person
    /// revoking Trestle's token.
    final class Controls: Sendable {
        let revokedTokens = Mutex<Set<String>>([])
        let maxCharacters = Mutex<Int?>(nil)
        /// Every status posted, oldest first, and the idempotency keys seen with them.
        let statuses = Mutex<[Status]>([])
        /// How many statuses `DELETE /api/v1/statuses/:id` took away: ids are never given twice.
        let deletedCount = Mutex(0)
        let idempotencyKeys = Mutex<[String: String]>([:])
        /// Statuses to answer the next posts with, one each, before posting normally again.
        let postFailures = Mutex<[HTTPStatus]>([])
        /// Trouble for the first post of a text.
        let troubles = Mutex<[String: Trouble]>([:])
        /// Every file uploaded, by id.
        let media = Mutex<[String: Media]>([:])
        /// What people say to the account: notifications, their statuses, open streams.
        let inbox = Inbox()
        /// What the instance counts for each status, by id (`favourites_count`…); 0 unless set.
        let counts = Mutex<[String: [String: FakeCount]]>([:])
        /// `followers_count` in `verify_credentials`.
        let followers = Mutex<FakeCount>(.int(12))
        /// Every `GET /api/v1/statuses/:id`, by id, in order.
        let statusReads = Mutex<[String]>([])
        /// Statuses to answer the next status reads with, one each, before answering normally again.
        let statusReadFailures = Mutex<[HTTPStatus]>([])

        func restore(_ token: String) { _ = revokedTokens.withLock { $0.remove(token) } }

        func revoke(_ token: String) { _ = revokedTokens.withLock { $0.insert(token) } }
        func setMaxCharacters(_ value: Int) { maxCharacters.withLock { $0 = value } }
    }

    let server: FakeNetworkServer
    let controls: Controls
    let settings: Settings
    var url: String { server.baseURL }

    static func start(_ settings: Settings = Settings()) async throws -> FakeMastodon {
        let controls = Controls()
        return FakeMastodon(server: try await FakeNetworkServer { routes in
            routes.get("api", "v1", "accounts", "verify_credentials") { req async throws -> Response in
                if settings.rateLimited { return rateLimited(reset: settings.rateLimitReset) }
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard let account = settings.accounts[token], !controls.revokedTokens.withLock({ $0.contains(token) }) else {
                    return try json(["error": "The access token is invalid"], status: .unauthorized, headers: ["WWW-Authenticate": #"Bearer error="invalid_token""#])
                }
                return try json([
                    "id": account.id, "username": account.username, "acct": account.username,
                    "display_name": account.displayName, "url": "https://\(settings.domain)/@\(account.username)",
                    "locked": false, "bot": false, "followers_count": controls.followers.withLock { $0 }.json,
                ] as [String: Any])
            }
            routes.get("api", "v2", "instance") { req async throws -> Response in
                if settings.rateLimited { return rateLimited(reset: settings.rateLimitReset) }
                guard settings.hasInstanceV2 else { return try json(["error": "Record not found"], status: .notFound) }
                return try json([
                    "domain": settings.domain, "title": "Bakery Social", "version": "4.5.0",
                    "configuration": ["urls": ["streaming": settings.streamingURL ?? "ws://\(req.headers.first(name: .host) ?? "")"], "statuses": [
                        "max_characters": controls.maxCharacters.withLock { $0 } ?? settings.maxCharacters, "max_media_attachments": 4,
                        "characters_reserved_per_url": settings.charactersReservedPerURL,
                    ]],
                ] as [String: Any])
            }
            routes.post("api", "v1", "apps") { req async throws -> Response in
                struct Registration: Content { var client_name: String; var redirect_uris: String; var scopes: String? }
                guard let registration = try? req.content.decode(Registration.self) else {
                    return try json(["error": "Validation failed: Redirect URI must be a valid URI"], status: .unprocessableEntity)
                }
                return try json([
                    "id": "1", "name": registration.client_name, "redirect_uri": registration.redirect_uris,
                    "client_id": clientID, "client_secret": clientSecret, "vapid_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=",
                ])
            }
            routes.post("oauth", "token") { req async throws -> Response in
                struct Grant: Content {
                    var grant_type: String; var code: String; var client_id: String; var client_secret: String
                    var redirect_uri: String; var code_verifier: String?
                }
                let invalid = try json(["error": "invalid_grant", "error_description": "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."], status: .badRequest)
                guard let grant = try? req.content.decode(Grant.self), grant.grant_type == "authorization_code" else { return invalid }
                guard grant.client_id == clientID, grant.client_secret == clientSecret else {
                    return try json(["error": "invalid_client", "error_description": "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."], status: .unauthorized)
                }
                let challenge = grant.code_verifier.map { PKCEChallenge.of($0) }
                guard grant.code == "code-\(challenge ?? "")", let token = settings.accounts.keys.sorted().first else { return invalid }
                return try json(["access_token": token, "token_type": "Bearer", "scope": "read write", "created_at": 1_764_000_000] as [String: Any])
            }
            routes.post("api", "v1", "statuses") { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard let account = settings.accounts[token], !controls.revokedTokens.withLock({ $0.contains(token) }) else {
                    return try json(["error": "The access token is invalid"], status: .unauthorized)
                }
                if let failure = controls.postFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                    switch failure {
                    case .tooManyRequests: return Self.rateLimited(reset: nil)
                    case .unprocessableEntity: return try json(["error": "Validation failed: Text character limit of 500 exceeded"], status: failure)
                    default: return try json(["error": "Something went wrong on our end"], status: failure)
                    }
                }
                struct Form: Content { var status: String?; var in_reply_to_id: String?; var visibility: String?; var media_ids: [String]? }
                guard let form = try? req.content.decode(Form.self), let text = form.status, !text.isEmpty else {
                    return try json(["error": "Validation failed: Text can't be blank"], status: .unprocessableEntity)
                }
                if settings.latency > .zero { try await Task.sleep(for: settings.latency) }
                let trouble = controls.troubles.withLock { $0.removeValue(forKey: text) }
                switch trouble {
                case .serverError: return try json(["error": "Something went wrong on our end"], status: .internalServerError)
                case let .rateLimited(seconds): return Self.rateLimited(reset: ISO8601DateFormatter().string(from: Date().addingTimeInterval(TimeInterval(seconds))))
                default: break
                }
                let key = req.headers.first(name: "Idempotency-Key").map { "\(token):\($0)" }
                let status: Status = controls.statuses.withLock { statuses in
                    if settings.honoursIdempotencyKey, let key, let id = controls.idempotencyKeys.withLock({ $0[key] }),
                       let earlier = statuses.first(where: { $0.id == id }) {
                        return earlier
                    }
                    let status = Status(id: String(110_000 + statuses.count + controls.deletedCount.withLock { $0 }), accountID: account.id, text: text, inReplyToID: form.in_reply_to_id, createdAt: Date(),
                                        mediaIDs: form.media_ids ?? [], visibility: form.visibility ?? "public")
                    statuses.append(status)
                    if let key { controls.idempotencyKeys.withLock { $0[key] = status.id } }
                    return status
                }
                switch trouble {
                case .serverErrorAfterStoring: return try json(["error": "Something went wrong on our end"], status: .internalServerError)
                case let .lateAnswer(delay): try await Task.sleep(for: delay)
                default: break
                }
                return try json(Self.entity(status, settings: settings))
            }
            // Deletes one of the token's account's statuses and answers it; another's, or none, is 404.
            routes.delete("api", "v1", "statuses", ":id") { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard let account = settings.accounts[token], !controls.revokedTokens.withLock({ $0.contains(token) }) else {
                    return try json(["error": "The access token is invalid"], status: .unauthorized)
                }
                let id = req.parameters.get("id") ?? ""
                let deleted: Status? = controls.statuses.withLock { statuses in
                    guard let index = statuses.firstIndex(where: { $0.id == id && $0.accountID == account.id }) else { return nil }
                    controls.deletedCount.withLock { $0 += 1 }
                    return statuses.remove(at: index)
                }
                guard let deleted else { return try json(["error": "Record not found"], status: .notFound) }
                return try json(Self.entity(deleted, settings: settings))
            }
            routes.on(.POST, "api", "v2", "media", body: .collect(maxSize: "100mb")) { req async throws -> Response in
                guard settings.accounts[req.headers.bearerAuthorization?.token ?? ""] != nil else {
                    return try json(["error": "The access token is invalid"], status: .unauthorized)
                }
                struct Upload: Content { var file: File; var description: String? }
                guard let upload = try? req.content.decode(Upload.self) else {
                    return try json(["error": "Validation failed: File can't be blank"], status: .unprocessableEntity)
                }
                let type = upload.file.contentType?.description ?? "application/octet-stream"
                let media = controls.media.withLock { media in
                    let item = Media(id: String(220_000 + media.count), description: upload.description ?? "", contentType: type, bytes: upload.file.data.readableBytes)
                    media[item.id] = item
                    return item
                }
                // Images are ready at once; a video is processed first, as Mastodon does.
                let processing = type.hasPrefix("video/")
                return try json(["id": media.id, "type": processing ? "video" : "image", "url": processing ? NSNull() : "https://files.\(settings.domain)/\(media.id)" as Any,
                                 "description": media.description] as [String: Any], status: processing ? .accepted : .ok)
            }
            routes.get("api", "v1", "media", ":id") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                guard let media = controls.media.withLock({ media -> Media? in
                    media[id]?.polled += 1
                    return media[id]
                }) else { return try json(["error": "Record not found"], status: .notFound) }
                let ready = !media.contentType.hasPrefix("video/") || media.polled > 1
                return try json(["id": media.id, "type": "video", "url": ready ? "https://files.\(settings.domain)/\(media.id)" : NSNull() as Any] as [String: Any],
                                status: ready ? .ok : .partialContent)
            }
            routes.get("api", "v1", "accounts", ":id", "statuses") { req async throws -> Response in
                let id = req.parameters.get("id") ?? ""
                let limit = min(req.query[Int.self, at: "limit"] ?? 20, 40)
                var mine = Array(controls.statuses.withLock { $0.filter { $0.accountID == id } }.reversed())
                if let maxID = req.query[String.self, at: "max_id"], let index = mine.firstIndex(where: { $0.id == maxID }) {
                    mine = Array(mine[(index + 1)...])
                }
                return try json(Array(mine.prefix(limit)).map { Self.entity($0, settings: settings) })
            }
            registerInbox(routes, settings: settings, controls: controls)
            routes.get("api", "v1", "instance") { _ async throws -> Response in
                try json([
                    "uri": settings.domain, "title": "Bakery Social", "version": "3.5.3",
                    "configuration": ["statuses": [
                        "max_characters": settings.maxCharacters, "characters_reserved_per_url": settings.charactersReservedPerURL,
                    ]],
                ] as [String: Any])
            }
        }, controls: controls, settings: settings)
    }

    func stop() async throws {
        // An open stream would hold the server's shutdown.
        controls.inbox.dropStreams()
        try await server.stop()
    }

    /// A `Status` entity, its text rendered as Mastodon does: escaped, in a paragraph, line
    /// breaks as `<br />`, links with their scheme in a hidden span.
    static func entity(_ status: Status, settings: Settings) -> [String: Any] {
        let escaped = status.text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        let linked = escaped.replacingOccurrences(of: "https://", with: ##"<a href="#" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span>"##)
        let html = "<p>" + linked.replacingOccurrences(of: "\n\n", with: "</p><p>").replacingOccurrences(of: "\n", with: "<br />") + "</p>"
        return [
            "id": status.id, "url": "https://\(settings.domain)/@bakery/\(status.id)", "uri": "https://\(settings.domain)/users/bakery/statuses/\(status.id)",
            "content": html, "in_reply_to_id": status.inReplyToID as Any, "visibility": status.visibility,
            "account": ["id": status.accountID, "username": "bakery", "acct": "bakery", "display_name": "Corner Bakery", "url": "https://\(settings.domain)/@bakery"],
            "created_at": ISO8601DateFormatter().string(from: status.createdAt),
        ]
    }

    private static func rateLimited(reset: String?) -> Response {
        let reset = reset ?? ISO8601DateFormatter().string(from: Date().addingTimeInterval(120))
        return Response(status: .tooManyRequests, headers: ["X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset, "Content-Type": "application/json"], body: .init(string: #"{"error":"Too many requests"}"#))
    }
}

/// A JSON answer from a dictionary, as the fakes write them.
func json(_ object: Any, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) throws -> Response {
    var headers = headers
    headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
    // Keys sorted: an answer is the same bytes in every run, so fuzzers seeded from the fakes repeat.
    return Response(status: status, headers: headers, body: .init(data: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
}

extension FakeMastodon {
    /// Runs `body` with a fake instance, stopped afterwards whatever happens.
    static func with(_ settings: Settings = Settings(), _ body: (FakeMastodon) async throws -> Void) async throws {
        let fake = try await start(settings)
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }
}

/// RFC 7636's S256, written out here so the fake does not lean on the code it tests.
enum PKCEChallenge {
    static func of(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
