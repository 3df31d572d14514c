import Crypto
import Foundation
import Synchronization
import Vapor

/// A Bluesky PDS as the AT Protocol's lexicons describe it: `com.atproto.server.createSession`
/// with an identifier and an app password (XRPC errors `{"error", "message"}` otherwise),
/// `app.bsky.actor.getProfile` with the session's access token, and the repository:
/// `createRecord` (a key already taken answers 500, as today's PDS does), `getRecord`
/// (`RecordNotFound`) and `resolveHandle`.
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
                    "accessJwt": "access-\(account.did)", "refreshJwt": "refresh-\(account.did)", "active": true,
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
                    "accessJwt": "access-\(account.did)", "refreshJwt": "refresh-\(account.did)-rotated", "active": true,
                ] as [String: Any])
            }
            routes.post("xrpc", "com.atproto.repo.createRecord") { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard let body = req.body.data, let input = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                      let repo = input["repo"] as? String, let collection = input["collection"] as? String,
                      let record = input["record"] as? [String: Any] else {
                    return try json(["error": "InvalidRequest", "message": "Input must have the properties repo, collection, record"], status: .badRequest)
                }
                guard let account = accounts.first(where: { $0.did == repo || $0.handle == repo }), token == "access-\(account.did)" else {
                    return try json(["error": "AuthenticationRequired", "message": "Authentication Required"], status: .unauthorized)
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
            routes.on(.POST, "xrpc", "com.atproto.repo.uploadBlob", body: .collect(maxSize: "100mb")) { req async throws -> Response in
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard accounts.contains(where: { token == "access-\($0.did)" }) else {
                    return try json(["error": "AuthenticationRequired", "message": "Authentication Required"], status: .unauthorized)
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
                guard req.headers.bearerAuthorization?.token == "access-\(account.did)" else {
                    return try json(["error": "AuthenticationRequired", "message": "Authentication Required"], status: .unauthorized)
                }
                return try json(["did": account.did, "handle": account.handle, "displayName": account.displayName, "followersCount": 40] as [String: Any])
            }
        }, controls: controls)
    }

    func stop() async throws { try await server.stop() }
}

extension FakeBluesky {
    /// Runs `body` with a fake service, stopped afterwards whatever happens.
    static func with(accounts: [Account] = [bakery], _ body: (FakeBluesky) async throws -> Void) async throws {
        let fake = try await start(accounts: accounts)
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }
}
