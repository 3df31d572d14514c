import Vapor

/// Lets an API request through only with a valid `Authorization: Bearer` token.
struct BearerTokenAuthentication: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard
            let bearer = request.headers.bearerAuthorization,
            let user = try await APITokenService(db: request.db).user(forBearer: bearer.token)
        else { throw AppError.unauthorized }
        request.currentUser = user
        return try await next.respond(to: request)
    }
}
