import Foundation

/// How long a network asks to wait, from `Retry-After` (seconds or an HTTP date) or, failing
/// that, a `*RateLimit-Reset` header (an instant, epoch seconds or seconds to wait).
///
/// Any server can send any header: a wait that is not a finite number of seconds between
/// now and `longest` (`1e300`, `nan`, a date in the year 9999) is unreadable, and the caller
/// waits its own way instead.
enum RetryAfter {
    /// A week: no network asks for longer, and a publisher should say so rather than sleep.
    static let longest = 7 * 86_400

    static func seconds(_ response: NetworkHTTPClient.Response, now: Date = Date()) -> Int? {
        if let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) {
            if !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Double(value) {
                return bounded(seconds)
            }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: value) { return bounded(date.timeIntervalSince(now)) }
        }
        for name in ["X-RateLimit-Reset", "RateLimit-Reset", "x-rate-limit-reset"] {
            guard let value = response.header(name)?.trimmingCharacters(in: .whitespaces) else { continue }
            if let date = ISO8601DateFormatter().date(from: value) ?? Self.fractionalISO8601(value) {
                return bounded(date.timeIntervalSince(now))
            }
            if let number = Double(value) {
                // Epoch seconds are far larger than any wait given in seconds.
                return bounded(number > 1_000_000_000 ? number - now.timeIntervalSince1970 : number)
            }
        }
        return nil
    }

    /// Whole seconds to wait, rounded up; an instant already past is no wait at all.
    static func bounded(_ seconds: Double) -> Int? {
        guard seconds.isFinite, seconds <= Double(longest) else { return nil }
        return seconds <= 0 ? 0 : Int(seconds.rounded(.up))
    }

    private static func fractionalISO8601(_ value: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: value)
    }
}
