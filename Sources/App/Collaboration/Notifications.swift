import Fluent
import Foundation
import SQLKit

/// A person's notifications across their workspaces: the entries of the activity feed that
/// concern them (a mention, changes asked of their post), newest first, until they mark them read.
struct Notifications: Sendable {
    static let mostPerPage = 100

    let db: any Database
    let clock: any WallClock

    struct Entry: Sendable {
        var id: UUID
        var workspaceID: UUID
        var workspaceName: String
        var action: Activity.Action
        var actor: String?
        var postID: UUID?
        var summary: String
        var at: Date
        var readAt: Date?
    }

    func entries(for user: User, unreadOnly: Bool = false, limit: Int = 50) async throws -> [Entry] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT n.id, n.workspace_id, w.name AS workspace_name, a.action, u.email AS actor, a.post_id, a.summary, a.created_at, n.read_at
            FROM member_notifications n
            JOIN activities a ON a.id = n.activity_id
            JOIN workspaces w ON w.id = n.workspace_id
            JOIN memberships m ON m.workspace_id = n.workspace_id AND m.user_id = n.user_id
            LEFT JOIN users u ON u.id = a.actor_id
            WHERE n.user_id = \(bind: user.requireID()) \(unsafeRaw: unreadOnly ? "AND n.read_at IS NULL" : "")
            ORDER BY n.created_at DESC, n.id DESC
            LIMIT \(bind: max(1, min(limit, Self.mostPerPage)))
            """).all()
        return try rows.map { row in
            Entry(
                id: try row.decode(column: "id", as: UUID.self), workspaceID: try row.decode(column: "workspace_id", as: UUID.self),
                workspaceName: try row.decode(column: "workspace_name", as: String.self),
                action: Activity.Action(rawValue: try row.decode(column: "action", as: String.self)) ?? .commented,
                actor: try row.decode(column: "actor", as: String?.self), postID: try row.decode(column: "post_id", as: UUID?.self),
                summary: try row.decode(column: "summary", as: String.self), at: try row.decode(column: "created_at", as: Date.self),
                readAt: try row.decode(column: "read_at", as: Date?.self)
            )
        }
    }

    /// Unread notifications of workspaces the person still belongs to.
    func unreadCount(for user: User) async throws -> Int {
        let row = try await (db as! any SQLDatabase).raw("""
            SELECT COUNT(*) AS unread FROM member_notifications n
            JOIN memberships m ON m.workspace_id = n.workspace_id AND m.user_id = n.user_id
            WHERE n.user_id = \(bind: user.requireID()) AND n.read_at IS NULL
            """).first()
        return try row?.decode(column: "unread", as: Int.self) ?? 0
    }

    /// Marks these of the person's notifications read, or all of them when `ids` is nil.
    func markRead(_ ids: [UUID]?, for user: User) async throws {
        var query = try MemberNotification.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$readAt == nil)
        if let ids { query = query.filter(\.$id ~~ ids) }
        try await query.set(\.$readAt, to: clock.now()).update()
    }

    func wantsEmail(_ user: User) async throws -> Bool {
        try await NotificationSettings.find(user.requireID(), on: db)?.byEmail ?? false
    }

    func setWantsEmail(_ wanted: Bool, for user: User) async throws {
        let settings = try await NotificationSettings.find(user.requireID(), on: db) ?? {
            let made = NotificationSettings()
            made.id = try user.requireID()
            return made
        }()
        settings.byEmail = wanted
        try await settings.save(on: db)
    }
}
