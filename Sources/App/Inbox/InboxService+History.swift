import Foundation
import SQLKit

/// What is kept of the inbox of channels since disconnected: read-only, by the handle the
/// channel had, until the workspace deletes it (`deleteHistory`).
extension InboxService {
    struct KeptHistory: Sendable, Equatable {
        var channelHandle: String
        var items: Int
    }

    /// The disconnected channels whose items are kept, by handle, with how many there are.
    func keptHistories(in workspace: Workspace) async throws -> [KeptHistory] {
        try await (db as! any SQLDatabase).raw("""
            SELECT channel_handle, COUNT(*) AS items FROM inbox_items
            WHERE workspace_id = \(bind: workspace.requireID()) AND channel_id IS NULL
            GROUP BY channel_handle ORDER BY channel_handle
            """).all().map {
            KeptHistory(channelHandle: try $0.decode(column: "channel_handle", as: String.self), items: try $0.decode(column: "items", as: Int.self))
        }
    }
}
