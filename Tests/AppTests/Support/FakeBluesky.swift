import Crypto
import Foundation
import Synchronization
import Vapor

/// A Bluesky PDS as the AT Protocol's lexicons describe it: `com.atproto.server.createSession`
/// with an identifier and an app password (XRPC errors `{"error", "message"}` otherwise),
/// `app.bsky.actor.getProfile` with the session's access token, and the repository:
/// `createRecord` (a key already taken answers 500, as today's PDS does), `getRecord`
/// (`RecordNotFound`) and `resolveHandle`; the account's notifications and threads
/// (`FakeBluesky+Notifications.swift`).
struct FakeBluesky: Sendable {
    struct Account: Sendable {
        var did: String
        var handle: String
        var appPassword: String
        var displayName: String
        /// The account asks for an emailed code at sign-in (`AuthFactorTokenRequired`).
        var needsEmailCode = false
    }

    static let bakery = Account(did: "did:plc:ewvi7nxzyoun6zhxrhs64oiz", handle: "bakery.bsky.social", appPassword: "abcd-efgh-ijkl-mnop", displayName: "Corner Bakery")
    /// Someone the bakery mentions; their handle resolves, they have no session here.
    static let miller = Account(did: "did:plc:z72i7hdynmk6r22z27h6tvur", handle: "miller.bsky.social", appPassword: "", displayName: "The Miller")

    /// What a test changes while it runs: refresh tokens expiring, an app password revoked.
    final class Controls: Sendable {
        let refreshExpired = Mutex(false)
        let revokedPasswords = Mutex<Set<String>>([])
        /// The repository's posts by record key, as JSON objects, in the order they were made.
        let records = Mutex<[(rkey: String, repo: String, json: Data)]>([])
        /// Every blob uploaded: its content id and bytes.
        let blobs = Mutex<[String: Data]>([:])
        /// Access tokens issued before the last `expireAccessTokens()` answer `ExpiredToken`.
        let accessGeneration = Mutex(0)
        /// Notifications of every account, in the order they happened.
        let notifications = Mutex<[Notification]>([])
        /// Posts by other people (replies, mentions, quotes), in the order they were made.
        let othersPosts = Mutex<[Post]>([])
        /// At most this many notifications a page, whatever limit is asked: a service may send fewer.
        let pageSize = Mutex(100)
        /// Authors whose posts a thread shows as `#blockedPost`.
        let blockedAuthors = Mutex<Set<String>>([])
        /// Every `listNotifications` query string, in order.
        let notificationQueries = Mutex<[String]>([])
        /// The fake's clock: each post or notification made happens a second after the one before.
        let ticks = Mutex(0)
        /// While set, everything happens at this tick's instant, as many notifications can.
        let stoppedAt = Mutex<Int?>(nil)
        /// What the app view counts for each of the account's posts, by AT URI (`likeCount`…); 0 unless set.
        let postCounts = Mutex<[String: [String: FakeCount]]>([:])
        /// Posts the repository still has that the app view leaves out of `getPosts`.
        let hiddenFromAppView = Mutex<Set<String>>([])
        /// `followersCount` on the account's profile.
        let followers = Mutex<FakeCount>(.int(40))
        /// How many URIs each `getPosts` asked for, in order.
        let getPostsCalls = Mutex<[Int]>([])

        /// The access token a session gets now.
        func accessToken(for did: String) -> String {
            let generation = accessGeneration.withLock { $0 }
            return generation == 0 ? "access-\(did)" : "access-\(did)-g\(generation)"
        }

        /// Whether `token` is the account's live access token.
        func isLive(_ token: String?, for did: String) -> Bool {
            token == accessToken(for: did)
        }

        /// Every access token issued so far expires, as they do after two hours.
        func expireAccessTokens() {
            accessGeneration.withLock { $0 += 1 }
        }

        /// The stored records' JSON objects, in order.
        var recordObjects: [[String: Any]] {
            records.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0.json) as? [String: Any] }
        }
    }

    let server: FakeNetworkServer
    let controls: Controls
    var url: String { server.baseURL }

    static func start(accounts: [Account] = [bakery]) async throws -> FakeBluesky {
        let controls = Controls()
        return FakeBluesky(server: try await FakeNetworkServer { routes in
            routes.post("xrpc", "com.atproto.server.createSession") { req async throws -> Response in
                struct Input: Content { var identifier: String; var password: String }
                guard let input = try? req.content.decode(Input.self) else {
                    return try json(["error": "InvalidRequest", "message": "Input must have the property \"identifier\""], status: .badRequest)
                }
                guard let account = accounts.first(where: { ($0.handle == input.identifier || $0.did == input.identifier) && $0.appPassword == input.password }),
                      !controls.revokedPasswords.withLock({ $0.contains(input.password) }) else {
                    return try json(["error": "AuthenticationRequired", "message": "Invalid identifier or password"], status: .unauthorized)
                }
                if account.needsEmailCode {
                    return try json(["error": "AuthFactorTokenRequired", "message": "A sign in code has been sent to your email address"], status: .unauthorized)
                }
                return try json([
                    "did": account.did, "handle": account.handle, "email": "owner@bakery.example",
                    "accessJwt": controls.accessToken(for: account.did), "refreshJwt": "refresh-\(account.did)", "active": true,
                ] as [String: Any])
            }
            routes.post("xrpc", "com.atproto.server.refreshSession") { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard !controls.refreshExpired.withLock({ $0 }),
                      let account = accounts.first(where: { token.hasPrefix("refresh-\($0.did)") }) else {
                    return try json(["error": "ExpiredToken", "message": "Token has expired"], status: .badRequest)
                }
                return try json([
                    "did": account.did, "handle": account.handle,
                    "accessJwt": controls.accessToken(for: account.did), "refreshJwt": "refresh-\(account.did)-rotated", "active": true,
                ] as [String: Any])
            }
            routes.post("xrpc", "com.atproto.repo.createRecord") { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard let body = req.body.data, let input = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                      let repo = input["repo"] as? String, let collection = input["collection"] as? String,
                      let record = input["record"] as? [String: Any] else {
                    return try json(["error": "InvalidRequest", "message": "Input must have the properties repo, collection, record"], status: .badRequest)
                }
                guard let account = accounts.first(where: { $0.did == repo || $0.handle == repo }), controls.isLive(token, for: account.did) else {
                    return try expired(token, accounts)
                }
                let rkey = input["rkey"] as? String ?? "3l\(UUID().uuidString.prefix(11).lowercased())"
                let stored = try JSONSerialization.data(withJSONObject: record)
                let taken: Bool = controls.records.withLock { records in
                    if records.contains(where: { $0.rkey == rkey && $0.repo == account.did }) { return true }
                    records.append((rkey, account.did, stored))
                    return false
                }
                if taken { return try json(["error": "InternalServerError", "message": "Internal Server Error"], status: .internalServerError) }
                return try json(["uri": "at://\(account.did)/\(collection)/\(rkey)", "cid": "bafyrei\(rkey)", "commit": ["cid": "bafyreicommit", "rev": rkey]] as [String: Any])
            }
            routes.post("xrpc", "com.atproto.repo.deleteRecord") { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard let body = req.body.data, let input = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                      let repo = input["repo"] as? String, input["collection"] is String, let rkey = input["rkey"] as? String else {
                    return try json(["error": "InvalidRequest", "message": "Input must have the properties repo, collection, rkey"], status: .badRequest)
                }
                guard let account = accounts.first(where: { $0.did == repo || $0.handle == repo }), controls.isLive(token, for: account.did) else {
                    return try expired(token, accounts)
                }
                // Deleting a record that is not there succeeds, as the lexicon has it.
                controls.records.withLock { $0.removeAll { $0.rkey == rkey && $0.repo == account.did } }
                return try json(["commit": ["cid": "bafyreicommit", "rev": rkey]] as [String: Any])
            }
            routes.on(.POST, "xrpc", "com.atproto.repo.uploadBlob", body: .collect(maxSize: "100mb")) { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard accounts.contains(where: { controls.isLive(token, for: $0.did) }) else {
                    return try expired(token, accounts)
                }
                let bytes = Data(buffer: req.body.data ?? ByteBuffer())
                let cid = "bafkrei" + String(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined().prefix(40))
                controls.blobs.withLock { $0[cid] = bytes }
                let type = req.headers.contentType?.description ?? "application/octet-stream"
                return try json(["blob": ["$type": "blob", "ref": ["$link": cid], "mimeType": type, "size": bytes.count]] as [String: Any])
            }
            routes.get("xrpc", "com.atproto.repo.getRecord") { req async throws -> Response in
                let repo = req.query[String.self, at: "repo"] ?? ""
                let rkey = req.query[String.self, at: "rkey"] ?? ""
                let collection = req.query[String.self, at: "collection"] ?? ""
                guard let account = accounts.first(where: { $0.did == repo || $0.handle == repo }),
                      let found = controls.records.withLock({ $0.first { $0.rkey == rkey && $0.repo == account.did } }) else {
                    return try json(["error": "RecordNotFound", "message": "Could not locate record: at://\(repo)/\(collection)/\(rkey)"], status: .badRequest)
                }
                let value = try JSONSerialization.jsonObject(with: found.json)
                return try json(["uri": "at://\(account.did)/\(collection)/\(rkey)", "cid": "bafyrei\(rkey)", "value": value] as [String: Any])
            }
            routes.get("xrpc", "com.atproto.identity.resolveHandle") { req async throws -> Response in
                let handle = req.query[String.self, at: "handle"] ?? ""
                guard let account = (accounts + [FakeBluesky.miller]).first(where: { $0.handle == handle }) else {
                    return try json(["error": "InvalidRequest", "message": "Unable to resolve handle"], status: .badRequest)
                }
                return try json(["did": account.did])
            }
            routes.get("xrpc", "app.bsky.actor.getProfile") { req async throws -> Response in
                let actor = req.query[String.self, at: "actor"] ?? ""
                guard let account = accounts.first(where: { $0.did == actor || $0.handle == actor }) else {
                    return try json(["error": "InvalidRequest", "message": "Profile not found"], status: .badRequest)
                }
                guard controls.isLive(req.headers.bearerAuthorization?.token, for: account.did) else {
                    return try expired(req.headers.bearerAuthorization?.token ?? "", accounts)
                }
                return try json(["did": account.did, "handle": account.handle, "displayName": account.displayName, "followersCount": controls.followers.withLock { $0 }.json] as [String: Any])
            }
            registerNotifications(routes, accounts: accounts, controls: controls)
            registerMetrics(routes, accounts: accounts, controls: controls)
        }, controls: controls)
    }

    func stop() async throws { try await server.stop() }

    /// A refused access token: `ExpiredToken` (400, as the PDS answers) for one issued before
    /// the tokens expired, `AuthenticationRequired` (401) for any other.
    static func expired(_ token: String, _ accounts: [Account]) throws -> Response {
        if accounts.contains(where: { token.hasPrefix("access-\($0.did)") }) {
            return try json(["error": "ExpiredToken", "message": "Token has expired"], status: .badRequest)
        }
        return try json(["error": "AuthenticationRequired", "message": "Authentication Required"], status: .unauthorized)
    }
}

extension FakeBluesky {
    /// Runs `body` with a fake service, stopped afterwards whatever happens.
    static func with(accounts: [Account] = [bakery], _ body: (FakeBluesky) async throws -> Void) async throws {
        let fake = try await start(accounts: accounts)
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }
}
