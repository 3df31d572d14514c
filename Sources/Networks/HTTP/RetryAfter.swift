import Foundation

/// How long a network asks to wait, from `Retry-After` (seconds or an HTTP date) or, failing
/// that, a `*RateLimit-Reset` header (an instant or epoch seconds).
enum RetryAfter {
    static func seconds(_ response: NetworkHTTPClient.Response, now: Date = Date()) -> Int? {
        if let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Int(value) { return max(0, seconds) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: value) { return max(0, Int(date.timeIntervalSince(now).rounded(.up))) }
        }
        for name in ["X-RateLimit-Reset", "RateLimit-Reset", "x-rate-limit-reset"] {
            guard let value = response.header(name)?.trimmingCharacters(in: .whitespaces) else { continue }
            if let date = ISO8601DateFormatter().date(from: value) ?? Self.fractionalISO8601(value) {
                return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
            }
            if let number = Double(value) {
                // Epoch seconds are far larger than any wait given in seconds.
                return number > 1_000_000_000 ? max(0, Int((number - now.timeIntervalSince1970).rounded(.up))) : Int(number)
            }
        }
        return nil
    }

    private static func fractionalISO8601(_ value: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: value)
    }
}
