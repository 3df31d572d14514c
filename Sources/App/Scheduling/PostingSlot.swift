import Foundation

/// A channel's regular time to post: a weekday and a local time in the channel's zone
/// ("Tuesday 09:00 in Europe/Berlin"), stored as such so that 09:00 stays 09:00 local when the
/// clocks change.
struct PostingSlot: Sendable, Hashable, Comparable, Codable {
    /// 1 is Monday … 7 is Sunday (ISO 8601).
    var weekday: Int
    var hour: Int
    var minute: Int
    /// The library category this slot belongs to: it is filled from that category, and the
    /// queue leaves it alone. Nil: an ordinary slot for the queue.
    var category: UUID?

    init?(weekday: Int, hour: Int, minute: Int, category: UUID? = nil) {
        guard (1...7).contains(weekday), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
        self.category = category
    }

    /// `weekday` 1…7 and `time` as `HH:MM` (24-hour), as the API takes them.
    init?(weekday: Int, time: String, category: UUID? = nil) {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        self.init(weekday: weekday, hour: hour, minute: minute, category: category)
    }

    /// The same weekday and time, whatever the category: a channel has one slot per time.
    var sameTime: [Int] { [weekday, hour, minute] }

    /// `HH:MM`.
    var time: String { String(format: "%02d:%02d", hour, minute) }

    static func < (a: PostingSlot, b: PostingSlot) -> Bool {
        (a.weekday, a.hour, a.minute) < (b.weekday, b.hour, b.minute)
    }
}
