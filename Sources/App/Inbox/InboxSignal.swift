import Foundation
import Synchronization

/// Tells the pages open in this process that a workspace's inbox changed (an item came, was
/// taken or done), so they refresh without a reload. Another process's changes are found by
/// the pages' own look at the database every few seconds.
final class InboxSignal: Sendable {
    private let listeners = Mutex<[UUID: [UUID: AsyncStream<Void>.Continuation]]>([:])
    private let generations = Mutex<[UUID: Int]>([:])

    /// How many changes this process made to the workspace's inbox: what was read of it while
    /// this stayed the same is still what this process would read (see `InboxUnreadCounts`).
    func generation(of workspace: UUID) -> Int {
        generations.withLock { $0[workspace] ?? 0 }
    }

    /// A sequence that yields each time `workspace`'s inbox changes; ends when the caller stops
    /// iterating.
    func changes(of workspace: UUID) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let key = UUID()
        listeners.withLock { $0[workspace, default: [:]][key] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.listeners.withLock { all in
                all[workspace]?[key] = nil
                if all[workspace]?.isEmpty == true { all[workspace] = nil }
            }
        }
        return stream
    }

    func changed(_ workspace: UUID) {
        generations.withLock { $0[workspace, default: 0] &+= 1 }
        for continuation in listeners.withLock({ Array(($0[workspace] ?? [:]).values) }) {
            continuation.yield()
        }
    }
}
