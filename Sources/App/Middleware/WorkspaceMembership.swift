import Vapor

/// Guards every route under `…/workspaces/:ws`: the caller must be a member, and a workspace they
/// are not in answers 404, exactly like one that does not exist. Routes join it by being
/// registered in its group, so none can forget it.
struct WorkspaceMembership: AsyncMiddleware {
    static let parameter = "ws"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try request.requireUser()
        guard let workspaceID = request.parameters.get(Self.parameter, as: UUID.self) else {
            throw AppError.notFound("This workspace")
        }
        let (workspace, membership) = try await WorkspaceService(db: request.db).membership(of: user, in: workspaceID)
        request.workspaceAccess = WorkspaceAccess(workspace: workspace, membership: membership)
        return try await next.respond(to: request)
    }
}
