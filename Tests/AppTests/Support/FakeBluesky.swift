import Foundation
import Synchronization
import Vapor

/// A Bluesky PDS as the AT Protocol's lexicons describe it: `com.atproto.server.createSession`
/// with an identifier and an app password (XRPC errors `{"error", "message"}` otherwise), and
/// `app.bsky.actor.getProfile` with the session's access token.
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

    /// What a test changes while it runs: refresh tokens expiring, an app password revoked.
    final class Controls: Sendable {
        let refreshExpired = Mutex(false)
        let revokedPasswords = Mutex<Set<String>>([])
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
