import Foundation
import Synchronization
import Vapor

/// A Mastodon instance as its API documentation describes it: `verify_credentials` with a
/// bearer token (401 `{"error": …}` otherwise) and `/api/v2/instance` with the instance's
/// `configuration.statuses` limits — or only `/api/v1/instance`, like servers before 4.0.
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
        var accounts: [String: Account] = ["good-token": Account(id: "10984", username: "bakery", displayName: "Corner Bakery")]
    }

    let server: FakeNetworkServer
    var url: String { server.baseURL }

    static func start(_ settings: Settings = Settings()) async throws -> FakeMastodon {
        FakeMastodon(server: try await FakeNetworkServer { routes in
            routes.get("api", "v1", "accounts", "verify_credentials") { req async throws -> Response in
                if settings.rateLimited { return rateLimited() }
                let token = req.headers.bearerAuthorization?.token ?? ""
                guard let account = settings.accounts[token] else {
                    return try json(["error": "The access token is invalid"], status: .unauthorized, headers: ["WWW-Authenticate": #"Bearer error="invalid_token""#])
                }
                return try json([
                    "id": account.id, "username": account.username, "acct": account.username,
                    "display_name": account.displayName, "url": "https://\(settings.domain)/@\(account.username)",
                    "locked": false, "bot": false, "followers_count": 12,
                ] as [String: Any])
            }
            routes.get("api", "v2", "instance") { _ async throws -> Response in
                if settings.rateLimited { return rateLimited() }
                guard settings.hasInstanceV2 else { return try json(["error": "Record not found"], status: .notFound) }
                return try json([
                    "domain": settings.domain, "title": "Bakery Social", "version": "4.3.2",
                    "configuration": ["statuses": [
                        "max_characters": settings.maxCharacters, "max_media_attachments": 4,
                        "characters_reserved_per_url": settings.charactersReservedPerURL,
                    ]],
                ] as [String: Any])
            }
            routes.get("api", "v1", "instance") { _ async throws -> Response in
                try json([
                    "uri": settings.domain, "title": "Bakery Social", "version": "3.5.3",
                    "configuration": ["statuses": [
                        "max_characters": settings.maxCharacters, "characters_reserved_per_url": settings.charactersReservedPerURL,
                    ]],
                ] as [String: Any])
            }
        })
    }

    func stop() async throws { try await server.stop() }

    private static func rateLimited() -> Response {
        let reset = ISO8601DateFormatter().string(from: Date().addingTimeInterval(120))
        return Response(status: .tooManyRequests, headers: ["X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset, "Content-Type": "application/json"], body: .init(string: #"{"error":"Too many requests"}"#))
    }
}

/// A JSON answer from a dictionary, as the fakes write them.
func json(_ object: Any, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) throws -> Response {
    var headers = headers
    headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
    return Response(status: status, headers: headers, body: .init(data: try JSONSerialization.data(withJSONObject: object)))
}

extension FakeMastodon {
    /// Runs `body` with a fake instance, stopped afterwards whatever happens.
    static func with(_ settings: Settings = Settings(), _ body: (FakeMastodon) async throws -> Void) async throws {
        let fake = try await start(settings)
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }
}
