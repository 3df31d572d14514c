import Fluent
import Foundation
import SQLKit

// Models read by the hand-written queries that every authenticated request runs (the caller's
// token or web session, the user, their workspaces, their membership of one). Fluent's own decoding finds each model's
// properties by reflection, a tenth of such a request's time in a profile; these build the same
// stored models from named columns instead.

extension User {
    /// The stored user in the columns `id`, `email`, `password_hash` and `created_at`.
    convenience init(stored row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: UUID.self),
            email: try row.decode(column: "email", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self)
        )
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        $id.exists = true
    }
}

extension Workspace {
    /// The stored workspace in the columns `workspace_id`, `workspace_name`,
    /// `workspace_created_at` and `workspace_approvals_required`.
    convenience init(stored row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "workspace_id", as: UUID.self),
            name: try row.decode(column: "workspace_name", as: String.self)
        )
        createdAt = try row.decode(column: "workspace_created_at", as: Date?.self)
        approvalsRequired = try row.decode(column: "workspace_approvals_required", as: Int.self)
        $id.exists = true
    }
}

extension Membership {
    /// The stored membership in the columns `id`, `workspace_id`, `user_id`, `role` and
    /// `created_at`.
    convenience init(stored row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: UUID.self),
            workspaceID: try row.decode(column: "workspace_id", as: UUID.self),
            userID: try row.decode(column: "user_id", as: UUID.self),
            role: try row.decode(column: "role", as: Role.self)
        )
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        $id.exists = true
    }
}

extension WebSession {
    /// The stored session in the columns `id`, `key_hash`, `data` and `expires_at`.
    convenience init(stored row: any SQLRow) throws {
        self.init(
            keyHash: try row.decode(column: "key_hash", as: String.self),
            data: try row.decode(column: "data", as: [String: String].self),
            expiresAt: try row.decode(column: "expires_at", as: Date.self)
        )
        id = try row.decode(column: "id", as: UUID.self)
        $id.exists = true
    }
}
