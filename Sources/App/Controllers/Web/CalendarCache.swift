import Fluent
import Foundation
import Synchronization

/// The calendar's days as last shown, so a team looking at a busy month again and again does not
/// read and lay out 10,000 deliveries each time.
///
/// Every change to a delivery, a post or a channel made by this process (the web server and,
/// unless `--no-worker`, the worker beside it) starts a new generation, and a cached month of an
/// older generation is read again. A change made by another process — a worker of its own, a
/// second web node — is seen when the entry grows older than `maximumAge`, a few seconds; so is
/// one whose transaction was still open while the month was read.
final class CalendarCache: Sendable {
    /// What a calendar's days depend on besides the data: where they start, how many, in which
    /// zone, how many posts a day shows, and which day is today.
    struct Key: Hashable, Sendable {
        var workspace: UUID
        var first: Date
        var days: Int
        var perDay: Int
        var zone: String
        var today: String
    }

    /// What the page shows of the days: the weeks as `CalendarGrid` writes them, and the
    /// channels' colours.
    struct Shown: Sendable {
        var grid: String
        var legend: [CalendarPages.Legend]
    }

    private struct Entry {
        var generation: Int
        var storedAt: Date
        var shown: Shown
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

    /// The days for `key` as cached, or as `render()` lays them out, kept for the next look;
    /// `now` is the wired clock's.
    func days(_ key: Key, now: Date, render: () async throws -> Shown) async throws -> Shown {
        // The generation before reading: a change during the read makes the entry stale at once.
        let current = generation.load(ordering: .sequentiallyConsistent)
        if let entry = entries.withLock({ $0[key] }), entry.generation == current,
           abs(now.timeIntervalSince(entry.storedAt)) < Self.maximumAge {
            return entry.shown
        }
        let shown = try await render()
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[key] == nil,
               let oldest = entries.min(by: { $0.value.storedAt < $1.value.storedAt })?.key {
                entries[oldest] = nil
            }
            entries[key] = Entry(generation: current, storedAt: now, shown: shown)
        }
        return shown
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
