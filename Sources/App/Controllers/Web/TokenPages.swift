import Vapor

/// Account → API tokens: create (shown once) and revoke.
enum TokenPages {
    struct TokensContext: Encodable {
        var page: PageContext
        var tokens: [APITokenDTO]
        var name: String
        var errors: FieldErrors
        /// The token just made; shown on this one page only.
        var newToken: String?
    }

    struct TokenForm: Content {
        var name: String?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(TokenForm.self)
        do {
            let (_, secret) = try await APITokenService(db: req.db).create(for: req.requireUser(), name: form.name ?? "")
            return try await render(req, newToken: secret, status: .created)
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, name: form.name ?? "", errors: error.fields, status: error.status)
        }
    }

    @Sendable static func revoke(_ req: Request) async throws -> Response {
        try await APITokenService(db: req.db).revoke(req.uuidParameter("token"), of: req.requireUser())
        return req.redirect(to: "/account/tokens")
    }

    private static func render(
        _ req: Request, name: String = "", errors: FieldErrors = [:], newToken: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let tokens = try await APITokenService(db: req.db).tokens(of: req.requireUser()).map { try APITokenDTO($0) }
        let context = TokensContext(page: try await .load(req, title: "API tokens"), tokens: tokens, name: name, errors: errors, newToken: newToken)
        return try await req.page("tokens", context, status: status)
    }
}
