import Foundation

/// Dates as the pages write them, in a given zone. Making a DateFormatter costs far more than
/// using one, so they are kept per thread, zone and pattern (one is not safe to share between
/// threads); the calendar formats hundreds per page.
enum DateText {
    /// `locale` `en_US_POSIX` writes the fixed English names that feeds and HTTP dates need.
    static func format(_ date: Date, _ pattern: String, in zone: TimeZone, locale: String = "en_GB") -> String {
        let key = "trestle.date-text.\(locale).\(zone.identifier).\(pattern)"
        if let kept = Thread.current.threadDictionary[key] as? DateFormatter { return kept.string(from: date) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale)
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        Thread.current.threadDictionary[key] = formatter
        return formatter.string(from: date)
    }
}
