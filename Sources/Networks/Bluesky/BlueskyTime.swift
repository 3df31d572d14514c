import Foundation
import TextRules

/// The AT Protocol's `datetime` read into an instant: RFC 3339 with any fraction and a `Z` or
/// `±HH:MM` offset. Only text that `ATProtoSyntax.isValidDatetime` accepts is read, so a
/// service's odd dates (no zone, year 99999) are refused rather than guessed at.
enum BlueskyTime {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func date(_ text: String) -> Date? {
        guard ATProtoSyntax.isValidDatetime(text) else { return nil }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int {
            bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let components = DateComponents(
            year: number(0..<4), month: number(5..<7), day: number(8..<10), hour: number(11..<13), minute: number(14..<16), second: number(17..<19)
        )
        guard var date = calendar.date(from: components) else { return nil }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var fraction = 0.0, scale = 0.1
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            date.addTimeInterval(fraction)
        }
        if bytes[index] != UInt8(ascii: "Z") {
            let sign: Double = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            let offset = Double(number(index + 1..<index + 3) * 3_600 + number(index + 4..<index + 6) * 60)
            date.addTimeInterval(-sign * offset)
        }
        return date
    }

    /// The UTC day of `date` as `yyyy-MM-dd`.
    static func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = String(parts.year ?? 0), month = String(parts.month ?? 0), day = String(parts.day ?? 0)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-"
            + (month.count < 2 ? "0" : "") + month + "-" + (day.count < 2 ? "0" : "") + day
    }
}
