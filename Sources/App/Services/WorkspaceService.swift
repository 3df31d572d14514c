import Fluent
import Foundation

/// Workspaces and their members. Members are peers; only the owner may remove others or delete
/// the workspace.
struct WorkspaceService: Sendable {
    let db: any Database

    struct Member: Sendable {
        var user: User
        var membership: Membership
    }

    func create(name rawName: String, owner: User) async throws -> Workspace {
        let name = FieldRules.workspaceName(rawName)
        if let problem = name.problem { throw AppError.invalid(["name": problem]) }
        return try await db.transaction { tx in
            let workspace = Workspace(name: name.value)
            try await workspace.create(on: tx)
            try await Membership(workspaceID: workspace.requireID(), userID: owner.requireID(), role: .owner).create(on: tx)
            return workspace
        }
    }

    /// The workspaces the user belongs to, oldest first, with the user's role in each.
    func workspaces(of user: User) async throws -> [(workspace: Workspace, role: Membership.Role)] {
        let memberships = try await Membership.query(on: db)
            .join(Workspace.self, on: \Membership.$workspace.$id == \Workspace.$id)
            .filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .ascending)
            .all()
        return try memberships.map { (try $0.joined(Workspace.self), $0.role) }
    }

    /// The caller's membership of a workspace; a workspace the caller is not in does not exist
    /// for them.
    func membership(of user: User, in workspaceID: UUID) async throws -> (workspace: Workspace, membership: Membership) {
        guard
            let membership = try await Membership.query(on: db)
                .join(Workspace.self, on: \Membership.$workspace.$id == \Workspace.$id)
                .filter(\.$user.$id == user.requireID())
                .filter(\.$workspace.$id == workspaceID)
                .first()
        else { throw AppError.notFound("This workspace") }
        return (try membership.joined(Workspace.self), membership)
    }

    func rename(_ workspace: Workspace, to rawName: String) async throws {
        let name = FieldRules.workspaceName(rawName)
        if let problem = name.problem { throw AppError.invalid(["name": problem]) }
        workspace.name = name.value
        try await workspace.save(on: db)
    }

    func members(of workspace: Workspace) async throws -> [Member] {
        try await Membership.query(on: db)
            .filter(\.$workspace.$id == workspace.requireID())
            .with(\.$user)
            .sort(\.$createdAt, .ascending)
            .all()
            .map { Member(user: $0.user, membership: $0) }
    }

    /// The owner removes a member; the owner cannot be removed, only the workspace deleted.
    func remove(memberID: UUID, from workspace: Workspace, by actor: Membership) async throws {
        guard actor.role == .owner else {
            throw AppError.forbidden("Only the workspace's owner can remove members.")
        }
        guard
            let target = try await Membership.query(on: db)
                .filter(\.$workspace.$id == workspace.requireID())
                .filter(\.$user.$id == memberID)
                .first()
        else { throw AppError.notFound("This member") }
        guard target.role != .owner else {
            throw AppError(status: .conflict, code: "owner_cannot_be_removed", message: "The owner cannot be removed. Delete the workspace instead.")
        }
        try await target.delete(on: db)
    }

    /// A member leaves on their own; the owner would leave the workspace without one.
    func leave(_ workspace: Workspace, membership: Membership) async throws {
        guard membership.role != .owner else {
            throw AppError(status: .conflict, code: "owner_cannot_leave", message: "The owner cannot leave. Delete the workspace instead.")
        }
        try await membership.delete(on: db)
    }

    /// Deletes the workspace and everything in it; the owner confirms by typing its name.
    func delete(_ workspace: Workspace, by actor: Membership, confirmation: String) async throws {
        guard actor.role == .owner else {
            throw AppError.forbidden("Only the workspace's owner can delete it.")
        }
        guard confirmation.trimmingCharacters(in: .whitespacesAndNewlines) == workspace.name else {
            throw AppError.invalid(["confirm": "Type the workspace's name, \(workspace.name), to confirm."], message: "The workspace was not deleted.")
        }
        // Memberships, invitations, posts and media go with it: their foreign keys cascade
        // (SQLite enforces them too; the driver switches them on for every connection).
        try await workspace.delete(on: db)
    }
}
