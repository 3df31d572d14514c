import Foundation

/// When a post's counts are read again: often while people still find it, rarely once it has
/// settled. Hourly the first day, every 6 hours the first week, daily the first month, weekly
/// until 90 days, then never again (one last reading falls on the 90th day).
enum MetricsSchedule {
    static let hour: TimeInterval = 3_600
    static let day: TimeInterval = 86_400
    /// After this, a post's counts are taken as final.
    static let horizon: TimeInterval = 90 * day

    /// The wait between readings of a post this old; nil past the horizon.
    static func interval(age: TimeInterval) -> TimeInterval? {
        switch age {
        case ..<day: hour
        case ..<(7 * day): 6 * hour
        case ..<(30 * day): day
        case ..<horizon: 7 * day
        default: nil
        }
    }

    /// The next reading of a post published at `publishedAt`, read at `now`; nil when it is
    /// not to be read again.
    static func nextRead(publishedAt: Date, after now: Date) -> Date? {
        guard let interval = interval(age: now.timeIntervalSince(publishedAt)) else { return nil }
        return min(now.addingTimeInterval(interval), publishedAt.addingTimeInterval(horizon))
    }

    /// After `failures` readings in a row gave no counts: a quarter of an hour, doubling, at
    /// most a day, and never past the horizon.
    static func retry(publishedAt: Date, after now: Date, failures: Int) -> Date? {
        guard now.timeIntervalSince(publishedAt) < horizon else { return nil }
        let wait = min(day, 900 * pow(2, Double(min(max(failures - 1, 0), 16))))
        return min(now.addingTimeInterval(wait), publishedAt.addingTimeInterval(horizon))
    }
}
