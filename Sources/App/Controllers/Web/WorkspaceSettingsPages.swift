import Vapor

/// A workspace's settings: its name, members, invitations and deletion.
enum WorkspaceSettingsPages {
    struct SettingsContext: Encodable {
        var page: PageContext
        var name: String
        var errors: FieldErrors
        var members: [MemberDTO]
        var invitations: [InvitationDTO]
        /// The link just made; shown on this one page only.
        var newInvitationURL: String?
        var currentUserID: String
        var approvalsRequired: Int
    }

    struct ApprovalsForm: Content {
        var approvalsRequired: Int?
    }

    /// The owner sets how many approvals a post needs before it is scheduled.
    @Sendable static func requireApprovals(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(ApprovalsForm.self)
        do {
            try await WorkspaceService(db: req.db).requireApprovals(form.approvalsRequired ?? -1, in: access.workspace, by: access.membership)
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/settings")
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, errors: error.fields, status: error.status)
        }
    }

    struct DeleteContext: Encodable {
        var page: PageContext
        var confirm: String
        var errors: FieldErrors
    }

    struct DeleteForm: Content {
        var confirm: String?
    }

    @Sendable static func settings(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func rename(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(WorkspacePages.NameForm.self)
        do {
            try await WorkspaceService(db: req.db).rename(access.workspace, to: form.name ?? "")
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/settings")
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, name: form.name ?? "", errors: error.fields, status: error.status)
        }
    }

    @Sendable static func invite(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let (_, token) = try await InvitationService(db: req.db).create(for: access.workspace, by: req.requireUser())
        return try await render(req, newInvitationURL: req.invitationURL(token: token), status: .created)
    }

    @Sendable static func revokeInvitation(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        try await InvitationService(db: req.db).revoke(req.uuidParameter("invitation"), in: access.workspace)
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/settings")
    }

    @Sendable static func removeMember(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        try await WorkspaceService(db: req.db).remove(memberID: req.uuidParameter("member"), from: access.workspace, by: access.membership)
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/settings")
    }

    @Sendable static func leave(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        try await WorkspaceService(db: req.db).leave(access.workspace, membership: access.membership)
        req.session.data[SessionKeys.lastWorkspace] = nil
        return req.redirect(to: "/")
    }

    @Sendable static func deleteForm(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        guard access.membership.role == .owner else { throw AppError.forbidden("Only the workspace's owner can delete it.") }
        return try await req.page("workspace-delete", DeleteContext(page: .load(req, title: "Delete \(access.workspace.name)", in: access), confirm: "", errors: [:]))
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(DeleteForm.self)
        do {
            try await WorkspaceService(db: req.db).delete(access.workspace, by: access.membership, confirmation: form.confirm ?? "")
            req.session.data[SessionKeys.lastWorkspace] = nil
            return req.redirect(to: "/")
        } catch let error as ServiceError where !error.fields.isEmpty {
            let context = DeleteContext(page: try await .load(req, title: "Delete \(access.workspace.name)", in: access), confirm: form.confirm ?? "", errors: error.fields)
            return try await req.page("workspace-delete", context, status: error.status)
        }
    }

    private static func render(
        _ req: Request, name: String? = nil, errors: FieldErrors = [:], newInvitationURL: String? = nil, status: HTTPStatus? = nil
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let members = try await WorkspaceService(db: req.db).members(of: access.workspace).map { try MemberDTO($0) }
        let invitations = try await InvitationService(db: req.db).pending(for: access.workspace).map { try InvitationDTO($0) }
        let context = SettingsContext(
            page: try await .load(req, title: "Settings · \(access.workspace.name)", in: access),
            name: name ?? access.workspace.name, errors: errors, members: members, invitations: invitations,
            newInvitationURL: newInvitationURL, currentUserID: try req.requireUser().requireID().uuidString,
            approvalsRequired: access.workspace.approvalsRequired
        )
        return try await req.page("workspace-settings", context, status: status ?? (errors.isEmpty ? .ok : .unprocessableEntity))
    }
}
