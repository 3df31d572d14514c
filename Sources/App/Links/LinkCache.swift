import Foundation
import Synchronization

/// The links the redirect read lately, so a popular link costs no database read per click. A
/// link never changes where it goes; a deleted one is forgotten here at once, and on other
/// nodes within `maximumAge`.
final class LinkCache: Sendable {
    struct Entry: Sendable, Equatable {
        var id: UUID
        var url: String
        var source: String
        var campaign: String?
    }

    static let maximumAge: TimeInterval = 60
    static let mostEntries = 10_000

    private let entries = Mutex<[String: (entry: Entry, readAt: Date)]>([:])

    func entry(for code: String, now: Date) -> Entry? {
        entries.withLock { entries in
            guard let kept = entries[code], now.timeIntervalSince(kept.readAt) < Self.maximumAge else { return nil }
            return kept.entry
        }
    }

    func keep(_ entry: Entry, for code: String, now: Date) {
        entries.withLock { entries in
            // Bounded: when full, the oldest half goes.
            if entries.count >= Self.mostEntries {
                let oldest = entries.sorted { $0.value.readAt < $1.value.readAt }.prefix(Self.mostEntries / 2).map(\.key)
                oldest.forEach { entries[$0] = nil }
            }
            entries[code] = (entry, now)
        }
    }

    func forget(_ code: String) {
        _ = entries.withLock { $0.removeValue(forKey: code) }
    }
}
