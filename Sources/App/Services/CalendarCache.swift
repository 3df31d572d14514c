import Fluent
import Foundation
import Synchronization

/// The calendar's days as last read, so a team looking at a busy month again and again does not
/// read 10,000 deliveries each time.
///
/// Every change to a delivery, a post or a channel made by this process (the web server and,
/// unless `--no-worker`, the worker beside it) starts a new generation, and a cached month of an
/// older generation is read again. A change made by another process — a worker of its own, a
/// second web node — is seen when the entry grows older than `maximumAge`, a few seconds; so is
/// one whose transaction was still open while the month was read.
final class CalendarCache: Sendable {
    struct Key: Hashable, Sendable {
        var workspace: UUID
        var first: Date
        var days: Int
        var perDay: Int
    }

    private struct Entry {
        var generation: Int
        var storedAt: Date
        var days: [PostCalendar.Day]
    }

    static let maximumAge: TimeInterval = 5
    /// Months held at once; the oldest goes first.
    static let capacity = 256

    private let generation = Atomic<Int>(0)
    private let entries = Mutex<[Key: Entry]>([:])

    /// Something the calendar shows changed: nothing cached before now is used again.
    func changed() {
        generation.add(1, ordering: .sequentiallyConsistent)
    }

    /// The cached days for `key`, or `read()`'s, which are kept for the next look; `now` is
    /// the wired clock's.
    func days(_ key: Key, now: Date, read: () async throws -> [PostCalendar.Day]) async throws -> [PostCalendar.Day] {
        // The generation before reading: a change during the read makes the entry stale at once.
        let current = generation.load(ordering: .sequentiallyConsistent)
        if let entry = entries.withLock({ $0[key] }), entry.generation == current,
           abs(now.timeIntervalSince(entry.storedAt)) < Self.maximumAge {
            return entry.days
        }
        let days = try await read()
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[key] == nil,
               let oldest = entries.min(by: { $0.value.storedAt < $1.value.storedAt })?.key {
                entries[oldest] = nil
            }
            entries[key] = Entry(generation: current, storedAt: now, days: days)
        }
        return days
    }
}

/// Tells the calendar cache of every delivery, post and channel written through Fluent.
struct CalendarChanges<M: Model>: AsyncModelMiddleware {
    let cache: CalendarCache

    func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        cache.changed()
    }

    func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        cache.changed()
    }

    func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        cache.changed()
    }
}
