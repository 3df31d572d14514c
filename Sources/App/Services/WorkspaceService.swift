import Fluent
import Foundation
import SQLKit

/// Workspaces and their members. Members are peers; only the owner may remove others or delete
/// the workspace.
struct WorkspaceService: Sendable {
    let db: any Database
    private var sql: any SQLDatabase { db as! any SQLDatabase }

    struct Member: Sendable {
        var user: User
        var membership: Membership
    }

    func create(name rawName: String, owner: User) async throws -> Workspace {
        let name = FieldRules.workspaceName(rawName)
        if let problem = name.problem { throw ServiceError.invalid(["name": problem]) }
        return try await db.transaction { tx in
            let workspace = Workspace(name: name.value)
            try await workspace.create(on: tx)
            try await Membership(workspaceID: workspace.requireID(), userID: owner.requireID(), role: .owner).create(on: tx)
            return workspace
        }
    }

    /// The workspaces the user belongs to, oldest first, with the user's role in each. `/me` and
    /// every page's workspace menu ask, so this is one query on the `user_id` index.
    func workspaces(of user: User) async throws -> [(workspace: Workspace, role: Membership.Role)] {
        let rows = try await sql.raw("""
            SELECT memberships.role, workspaces.id AS workspace_id, workspaces.name AS workspace_name,
                   workspaces.created_at AS workspace_created_at, workspaces.approvals_required AS workspace_approvals_required
            FROM memberships JOIN workspaces ON workspaces.id = memberships.workspace_id
            WHERE memberships.user_id = \(bind: user.requireID())
            ORDER BY memberships.created_at
            """).all()
        return try rows.map { (try Workspace(stored: $0), try $0.decode(column: "role", as: Membership.Role.self)) }
    }

    /// The caller's membership of a workspace; a workspace the caller is not in does not exist
    /// for them. Every request inside a workspace asks, so this is one query on the unique
    /// index of (workspace, user), and nothing is cached: a member removed on any node is
    /// refused on their next request.
    func membership(of user: User, in workspaceID: UUID) async throws -> (workspace: Workspace, membership: Membership) {
        guard
            let row = try await sql.raw("""
                SELECT memberships.id, memberships.workspace_id, memberships.user_id, memberships.role,
                       memberships.created_at, workspaces.name AS workspace_name,
                       workspaces.created_at AS workspace_created_at, workspaces.approvals_required AS workspace_approvals_required
                FROM memberships JOIN workspaces ON workspaces.id = memberships.workspace_id
                WHERE memberships.workspace_id = \(bind: workspaceID) AND memberships.user_id = \(bind: user.requireID())
                """).first()
        else { throw ServiceError.notFound("This workspace") }
        // memberships.workspace_id is the workspace's id, read by both models.
        return (try Workspace(stored: row), try Membership(stored: row))
    }

    /// How many approvals from members other than the author a post needs before it is
    /// scheduled; the owner's to set, 0 to 10.
    func requireApprovals(_ count: Int, in workspace: Workspace, by actor: Membership) async throws {
        guard actor.role == .owner else { throw ServiceError.forbidden("Only the workspace's owner can change how many approvals a post needs.") }
        guard (0...Self.mostApprovals).contains(count) else {
            throw ServiceError.invalid(["approvalsRequired": "Ask for 0 to \(Self.mostApprovals) approvals."])
        }
        workspace.approvalsRequired = count
        try await workspace.save(on: db)
    }

    static let mostApprovals = 10

    func rename(_ workspace: Workspace, to rawName: String) async throws {
        let name = FieldRules.workspaceName(rawName)
        if let problem = name.problem { throw ServiceError.invalid(["name": problem]) }
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
            throw ServiceError.forbidden("Only the workspace's owner can remove members.")
        }
        guard
            let target = try await Membership.query(on: db)
                .filter(\.$workspace.$id == workspace.requireID())
                .filter(\.$user.$id == memberID)
                .first()
        else { throw ServiceError.notFound("This member") }
        guard target.role != .owner else {
            throw ServiceError.conflict("owner_cannot_be_removed", "The owner cannot be removed. Delete the workspace instead.")
        }
        try await target.delete(on: db)
    }

    /// A member leaves on their own; the owner would leave the workspace without one.
    func leave(_ workspace: Workspace, membership: Membership) async throws {
        guard membership.role != .owner else {
            throw ServiceError.conflict("owner_cannot_leave", "The owner cannot leave. Delete the workspace instead.")
        }
        try await membership.delete(on: db)
    }

    /// Deletes the workspace and everything in it; the owner confirms by typing its name.
    func delete(_ workspace: Workspace, by actor: Membership, confirmation: String) async throws {
        guard actor.role == .owner else {
            throw ServiceError.forbidden("Only the workspace's owner can delete it.")
        }
        guard confirmation.trimmingCharacters(in: .whitespacesAndNewlines) == workspace.name else {
            throw ServiceError.invalid(["confirm": "Type the workspace's name, \(workspace.name), to confirm."], message: "The workspace was not deleted.")
        }
        // Memberships, invitations, posts and media go with it: their foreign keys cascade
        // (SQLite enforces them too; the driver switches them on for every connection).
        try await workspace.delete(on: db)
    }
}
