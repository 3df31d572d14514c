import Vapor

/// `/api/v1/me` and the caller's API tokens.
enum AccountAPI {
    @Sendable static func me(_ req: Request) async throws -> MeResponse {
        let user = try req.requireUser()
        let workspaces = try await WorkspaceService(db: req.db).workspaces(of: user)
        return MeResponse(user: try UserDTO(user), workspaces: try workspaces.map { try WorkspaceDTO($0.workspace, role: $0.role) })
    }

    @Sendable static func listTokens(_ req: Request) async throws -> [APITokenDTO] {
        try await APITokenService(db: req.db).tokens(of: req.requireUser()).map { try APITokenDTO($0) }
    }

    @Sendable static func createToken(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(CreateTokenRequest.self)
        let (token, secret) = try await APITokenService(db: req.db).create(for: req.requireUser(), name: body.name)
        return try await APITokenDTO(token, secret: secret).encodeResponse(status: .created, for: req)
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> HTTPStatus {
        try await APITokenService(db: req.db).revoke(req.uuidParameter("token"), of: req.requireUser())
        return .noContent
    }
}
