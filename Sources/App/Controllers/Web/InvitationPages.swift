import Vapor

/// The page behind an invitation link, for people with or without an account.
enum InvitationPages {
    struct InvitationContext: Encodable {
        var page: PageContext
        var token: String
        var workspaceName: String
        var signedIn: Bool
        var loginQuery: String
        var signupQuery: String
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let token = try token(req)
        let (_, workspace) = try await InvitationService(db: req.db).usable(token: token)
        let context = InvitationContext(
            page: try await .load(req, title: "Join \(workspace.name)"), token: token, workspaceName: workspace.name,
            signedIn: req.currentUser != nil,
            loginQuery: queryString(["next": "/invitations/\(token)"]),
            signupQuery: queryString(["invitation": token])
        )
        return try await req.page("invitation", context)
    }

    @Sendable static func accept(_ req: Request) async throws -> Response {
        guard let user = req.currentUser else { return req.redirect(to: "/invitations/\(try token(req))") }
        let workspace = try await InvitationService(db: req.db).accept(token: try token(req), by: user)
        return req.redirect(to: "/workspaces/\(try workspace.requireID())")
    }

    private static func token(_ req: Request) throws -> String {
        guard let token = req.parameters.get("token"), token.count < 200 else { throw AppError.notFound() }
        return token
    }
}
