import Foundation
import Synchronization

/// The navigation's unread count per workspace, as last read, so the pages a team moves
/// between (the calendar among them, which is benchmarked) do not each ask the database again.
///
/// A change this process makes to a workspace's inbox starts a new generation of it
/// (`InboxSignal`), and a count of an older one is read again; a change made by another process
/// (a worker of its own) shows once the count is older than `maximumAge`, a few seconds — and at
/// once on an open inbox page, whose event stream carries the count.
final class InboxUnreadCounts: Sendable {
    static let maximumAge: TimeInterval = 5
    /// Workspaces held at once; beyond it everything is forgotten and read afresh.
    static let capacity = 4_096

    private struct Entry {
        var generation: Int
        var storedAt: Date
        var count: Int
    }

    private let entries = Mutex<[UUID: Entry]>([:])

    /// The count as kept for `generation`, or as `read()` finds it, kept for the next page.
    func count(of workspace: UUID, generation: Int, read: () async throws -> Int) async throws -> Int {
        let now = Date()
        if let kept = entries.withLock({ $0[workspace] }), kept.generation == generation, now.timeIntervalSince(kept.storedAt) < Self.maximumAge {
            return kept.count
        }
        let count = try await read()
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[workspace] = Entry(generation: generation, storedAt: now, count: count)
        }
        return count
    }
}
