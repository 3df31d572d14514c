import Vapor

/// Workspaces, members and invitations over the JSON API.
enum WorkspacesAPI {
    @Sendable static func list(_ req: Request) async throws -> [WorkspaceDTO] {
        try await WorkspaceService(db: req.db).workspaces(of: req.requireUser()).map { try WorkspaceDTO($0.workspace, role: $0.role) }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(WorkspaceNameRequest.self)
        let workspace = try await WorkspaceService(db: req.db).create(name: body.name, owner: req.requireUser())
        return try await WorkspaceDTO(workspace, role: .owner).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> WorkspaceDTO {
        let access = try req.requireWorkspace()
        return try WorkspaceDTO(access.workspace, role: access.membership.role)
    }

    @Sendable static func rename(_ req: Request) async throws -> WorkspaceDTO {
        let access = try req.requireWorkspace()
        let body = try req.decodeBody(WorkspaceChangeRequest.self)
        try await req.db.transaction { db in
            let service = WorkspaceService(db: db)
            if let count = body.approvalsRequired { try await service.requireApprovals(count, in: access.workspace, by: access.membership) }
            if let name = body.name { try await service.rename(access.workspace, to: name) }
        }
        return try WorkspaceDTO(access.workspace, role: access.membership.role)
    }

    /// `DELETE …/workspaces/{ws}?confirm=<name>`: the name guards against a slip of the finger.
    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let access = try req.requireWorkspace()
        let confirmation = req.query[String.self, at: "confirm"] ?? ""
        try await WorkspaceService(db: req.db).delete(access.workspace, by: access.membership, confirmation: confirmation)
        return .noContent
    }

    @Sendable static func members(_ req: Request) async throws -> [MemberDTO] {
        try await WorkspaceService(db: req.db).members(of: req.requireWorkspace().workspace).map { try MemberDTO($0) }
    }

    @Sendable static func removeMember(_ req: Request) async throws -> HTTPStatus {
        let access = try req.requireWorkspace()
        let memberID = try req.uuidParameter("member")
        let service = WorkspaceService(db: req.db)
        if memberID == (try req.requireUser().requireID()) {
            try await service.leave(access.workspace, membership: access.membership)
        } else {
            try await service.remove(memberID: memberID, from: access.workspace, by: access.membership)
        }
        return .noContent
    }

    @Sendable static func invitations(_ req: Request) async throws -> [InvitationDTO] {
        try await InvitationService(db: req.db).pending(for: req.requireWorkspace().workspace).map { try InvitationDTO($0) }
    }

    @Sendable static func invite(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let (invitation, token) = try await InvitationService(db: req.db).create(for: access.workspace, by: req.requireUser())
        return try await InvitationDTO(invitation, url: req.invitationURL(token: token)).encodeResponse(status: .created, for: req)
    }

    @Sendable static func revokeInvitation(_ req: Request) async throws -> HTTPStatus {
        try await InvitationService(db: req.db).revoke(req.uuidParameter("invitation"), in: req.requireWorkspace().workspace)
        return .noContent
    }

    /// Accepting by API lets a script join a workspace with a link it was given.
    @Sendable static func accept(_ req: Request) async throws -> WorkspaceDTO {
        guard let token = req.parameters.get("token") else { throw AppError.notFound() }
        let workspace = try await InvitationService(db: req.db).accept(token: token, by: req.requireUser())
        return try WorkspaceDTO(workspace, role: .member)
    }
}

extension Request {
    /// The link to share for an invitation, on the public address when one is configured.
    func invitationURL(token: String) -> String {
        "\(publicBaseURL)/invitations/\(token)"
    }

    /// Where people reach Trestle, without a trailing slash: `TRESTLE_PUBLIC_URL`, or this
    /// request's own host.
    var publicBaseURL: String {
        if let url = application.settings.publicURL {
            return url.absoluteString.hasSuffix("/") ? String(url.absoluteString.dropLast()) : url.absoluteString
        }
        return "http://\(headers.first(name: .host) ?? "127.0.0.1:8080")"
    }
}
