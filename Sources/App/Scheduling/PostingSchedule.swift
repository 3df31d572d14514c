import Foundation

/// A channel's posting slots laid out on the calendar of its zone.
struct PostingSchedule: Sendable {
    var slots: [PostingSlot]
    var zone: TimeZone

    /// The next `count` slot instants at or after `start`, in order. Empty without slots.
    func instants(from start: Date, count: Int) -> [Date] {
        occurrences(from: start, count: count).map(\.instant)
    }

    /// The slot instants from `start` up to (not including) `end`, each with its slot, in order.
    func occurrences(from start: Date, until end: Date) -> [(instant: Date, slot: PostingSlot)] {
        // A week holds each slot once; a little more than the span in weeks, plus the day before.
        let weeks = Int(max(0, end.timeIntervalSince(start)) / (7 * 86_400)) + 2
        return occurrences(from: start, count: Set(slots).count * weeks).filter { $0.instant < end }
    }

    /// The next `count` slot instants at or after `start`, each with its slot, in order.
    func occurrences(from start: Date, count: Int) -> [(instant: Date, slot: PostingSlot)] {
        guard !slots.isEmpty, count > 0 else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let ordered = Set(slots).sorted()
        var found: [(instant: Date, slot: PostingSlot)] = []
        // From the day before (a slot late on the local day before may still be ahead in UTC).
        var day = calendar.startOfDay(for: start.addingTimeInterval(-86_400))
        while found.count < count {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            // Foundation counts Sunday as 1; slots count Monday as 1.
            let weekday = (parts.weekday! + 5) % 7 + 1
            for slot in ordered where slot.weekday == weekday {
                let instant = LocalTime.instant(year: parts.year!, month: parts.month!, day: parts.day!, hour: slot.hour, minute: slot.minute, in: zone)
                if instant >= start { found.append((instant, slot)) }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return Array(found.sorted { $0.instant < $1.instant }.prefix(count))
    }

    /// The first slot instant at or after `start` that `taken` does not hold, looking at most a
    /// year ahead; nil when there is none (no slots, or every one taken).
    func nextFree(from start: Date, taken: Set<Date>) -> Date? {
        let perYear = Set(slots).count * 53
        return instants(from: start, count: perYear).first { !taken.contains($0) }
    }
}
