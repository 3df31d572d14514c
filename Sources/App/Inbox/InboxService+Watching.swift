import Foundation
import SQLKit

/// What an open inbox page compares, every few seconds, to see that its workspace's inbox
/// changed in another process (a separate `trestle worker` that heard a reply); changes made in
/// this process are told at once by `InboxSignal`.
extension InboxService {
    /// A workspace's inbox in four numbers: any new item, any item read, done or opened again
    /// changes one of them. Who an item is assigned to is not among them: an assignment made
    /// elsewhere shows with the next change or reload.
    struct Mark: Sendable, Equatable {
        var total: Int
        var open: Int
        var unread: Int
        var newest: Date?
    }

    /// One query over the workspace's items (its index), cheap enough to ask every few seconds.
    func mark(of workspaceID: UUID) async throws -> Mark {
        let open = InboxItem.State.open.rawValue
        let row = try await (db as! any SQLDatabase).raw("""
            SELECT COUNT(*) AS total,
                   SUM(CASE WHEN state = \(bind: open) THEN 1 ELSE 0 END) AS open,
                   SUM(CASE WHEN state = \(bind: open) AND read_at IS NULL THEN 1 ELSE 0 END) AS unread,
                   MAX(received_at) AS newest
            FROM inbox_items WHERE workspace_id = \(bind: workspaceID)
            """).first()
        guard let row else { return Mark(total: 0, open: 0, unread: 0, newest: nil) }
        return Mark(
            total: try row.decode(column: "total", as: Int.self), open: try row.decode(column: "open", as: Int?.self) ?? 0,
            unread: try row.decode(column: "unread", as: Int?.self) ?? 0, newest: try row.decode(column: "newest", as: Date?.self)
        )
    }
}
