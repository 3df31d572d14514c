import Fluent
import Foundation
import SQLKit

/// Invitation links: single use, expiring, revocable.
struct InvitationService: Sendable {
    static let lifetime: TimeInterval = 7 * 24 * 60 * 60
    static let tokenPrefix = "inv_"

    let db: any Database
    var now: @Sendable () -> Date = Date.init

    /// A new invitation and the secret for its link, which is shown once.
    func create(for workspace: Workspace, by user: User) async throws -> (invitation: Invitation, token: String) {
        let token = SecretToken.generate(prefix: Self.tokenPrefix)
        let invitation = Invitation(
            workspaceID: try workspace.requireID(), createdByID: try user.requireID(),
            tokenHash: token.hash, expiresAt: now().addingTimeInterval(Self.lifetime)
        )
        try await invitation.create(on: db)
        return (invitation, token.value)
    }

    func pending(for workspace: Workspace) async throws -> [Invitation] {
        try await Invitation.query(on: db)
            .filter(\.$workspace.$id == workspace.requireID())
            .filter(\.$acceptedAt == nil)
            .filter(\.$expiresAt > now())
            .sort(\.$createdAt, .descending)
            .all()
    }

    func revoke(_ invitationID: UUID, in workspace: Workspace) async throws {
        guard
            let invitation = try await Invitation.query(on: db)
                .filter(\.$id == invitationID)
                .filter(\.$workspace.$id == workspace.requireID())
                .first()
        else { throw ServiceError.notFound("This invitation") }
        try await invitation.delete(on: db)
    }

    /// The invitation behind a link, if it can still be used, with its workspace.
    func usable(token: String) async throws -> (invitation: Invitation, workspace: Workspace) {
        guard
            let invitation = try await Invitation.query(on: db)
                .filter(\.$tokenHash == SecretToken.hash(token))
                .with(\.$workspace)
                .first()
        else { throw Self.unusable("This invitation link is not valid. Ask for a new one.") }
        if invitation.acceptedAt != nil {
            throw Self.unusable("This invitation link has already been used. Ask for a new one.")
        }
        if invitation.expiresAt <= now() {
            throw Self.unusable("This invitation link has expired. Ask for a new one.")
        }
        return (invitation, invitation.workspace)
    }

    /// Uses the link up and makes the user a member, in one step that two people cannot both win.
    func accept(token: String, by user: User) async throws -> Workspace {
        try await db.transaction { tx in
            let service = InvitationService(db: tx, now: now)
            let (invitation, workspace) = try await service.usable(token: token)
            let userID = try user.requireID()
            let alreadyMember = try await Membership.query(on: tx)
                .filter(\.$workspace.$id == workspace.requireID())
                .filter(\.$user.$id == userID)
                .first() != nil
            if alreadyMember { return workspace }
            // Marks the invitation used only if it still is unused, and learns whether it was.
            let claimed = try await (tx as! any SQLDatabase)
                .update(Invitation.schema)
                .set("accepted_at", to: SQLBind(now()))
                .set("accepted_by", to: SQLBind(userID))
                .where("id", .equal, SQLBind(invitation.requireID()))
                .where("accepted_at", .is, SQLLiteral.null)
                .returning("id")
                .all()
            guard !claimed.isEmpty else {
                throw Self.unusable("This invitation link has already been used. Ask for a new one.")
            }
            try await Membership(workspaceID: workspace.requireID(), userID: userID, role: .member).create(on: tx)
            return workspace
        }
    }

    private static func unusable(_ message: String) -> ServiceError {
        ServiceError(kind: .gone, code: "invitation_unusable", message: message)
    }
}
