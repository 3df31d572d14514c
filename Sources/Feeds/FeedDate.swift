import Foundation

/// Dates as feeds write them: RFC 822/2822 (`Tue, 01 Dec 2026 09:30:00 +0100`, named and
/// military zones, two-digit years, no seconds, no weekday) and ISO 8601/RFC 3339 (`2026-12-01`,
/// `2026-12-01T09:30:00.250+01:00`, a space for `T`, no zone meaning UTC). Hand-written: the
/// formatter-based way is slow and reads only the exact shapes it is given.
public enum FeedDate {
    /// The instant `text` names, nil if it is no date either form can read.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            scanner.skipSpace()
            let start = scanner.index
            if let date = scanner.iso8601() { return date }
            scanner.index = start
            return scanner.rfc822()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            index += 1
            return true
        }

        /// Up to `most` digits, and how many there were.
        mutating func number(most: Int) -> (value: Int, digits: Int) {
            var value = 0
            var digits = 0
            while digits < most, let byte = current, byte >= 0x30, byte <= 0x39 {
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                index += 1
            }
            return (value, digits)
        }

        mutating func letters() -> String {
            let start = index
            while let byte = current, byte | 0x20 >= UInt8(ascii: "a"), byte | 0x20 <= UInt8(ascii: "z"), index - start < 16 { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
        }

        // MARK: ISO 8601

        mutating func iso8601() -> Date? {
            let year = number(most: 4)
            guard year.digits == 4 else { return nil }
            var month = 1
            var day = 1
            let extended = skip(UInt8(ascii: "-"))
            let m = number(most: 2)
            if m.digits == 2 {
                month = m.value
                if !extended || skip(UInt8(ascii: "-")) {
                    let d = number(most: 2)
                    guard d.digits == 2 else { return nil }
                    day = d.value
                }
            } else if m.digits != 0 || extended {
                return nil
            }
            var time = (seconds: 0.0, offset: 0)
            if current == UInt8(ascii: "T") || current == UInt8(ascii: "t") || current == 0x20 {
                index += 1
                // "10:00" or "1000": the basic form has no colon.
                guard let read = timeAndZone(separated: bytes[index..<min(index + 3, bytes.count)].contains(UInt8(ascii: ":"))) else { return nil }
                time = read
            }
            skipSpace()
            guard current == nil else { return nil }
            return Self.date(year: year.value, month: month, day: day, seconds: time.seconds, offset: time.offset)
        }

        /// A time of day and the zone after it: seconds into the day, seconds east of UTC.
        mutating func timeAndZone(separated: Bool) -> (seconds: Double, offset: Int)? {
            guard let seconds = clock(separated: separated) else { return nil }
            skipSpace()
            guard let offset = zoneOffset() else { return nil }
            return (seconds, offset)
        }

        /// `hh:mm[:ss[.fff]]`, or `hhmm[ss]` when not `separated`: seconds into the day.
        mutating func clock(separated: Bool) -> Double? {
            let hour = number(most: 2)
            guard hour.digits == 2 || (separated && hour.digits == 1) else { return nil }
            if separated { guard skip(UInt8(ascii: ":")) else { return nil } }
            let minute = number(most: 2)
            guard minute.digits == 2 else { return nil }
            var second = 0.0
            if !separated || skip(UInt8(ascii: ":")) {
                let whole = number(most: 2)
                if whole.digits == 2 {
                    second = Double(whole.value)
                    if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                        var scale = 0.1
                        while let byte = current, byte >= 0x30, byte <= 0x39 {
                            second += Double(byte - 0x30) * scale
                            scale /= 10
                            index += 1
                        }
                    }
                } else if separated {
                    return nil
                }
            }
            guard hour.value <= 24, minute.value <= 59, second < 61 else { return nil }
            return Double(hour.value * 3600 + minute.value * 60) + min(second, 59.999_999)
        }

        /// `Z`, `±hh:mm`, `±hhmm`, `±hh`, a named zone, or nothing (UTC): seconds east of UTC.
        mutating func zoneOffset() -> Int? {
            guard let byte = current else { return 0 }
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                index += 1
                let sign = byte == UInt8(ascii: "-") ? -1 : 1
                let hours = number(most: 2)
                guard hours.digits >= 1 else { return nil }
                var minutes = 0
                if skip(UInt8(ascii: ":")) || (current.map { $0 >= 0x30 && $0 <= 0x39 } ?? false) {
                    let m = number(most: 2)
                    guard m.digits == 2 else { return nil }
                    minutes = m.value
                }
                guard hours.value <= 18, minutes <= 59 else { return nil }
                return sign * (hours.value * 3600 + minutes * 60)
            }
            let name = letters()
            guard !name.isEmpty else { return 0 }
            // A zone name we do not know reads as UTC: a date some hours off beats no date.
            return (Self.namedZones[name] ?? 0) * 3600
        }

        // MARK: RFC 822

        mutating func rfc822() -> Date? {
            // A weekday, right or wrong, says nothing the date does not.
            if let byte = current, byte | 0x20 >= UInt8(ascii: "a"), byte | 0x20 <= UInt8(ascii: "z") {
                _ = letters()
                _ = skip(UInt8(ascii: ","))
                skipSpace()
            }
            var day = number(most: 2)
            var month: Int?
            if day.digits == 0 {
                // "Dec 01 2026" as some feeds write it.
                month = Self.month(letters())
                skipSpace()
                day = number(most: 2)
            } else {
                skipSeparator()
                month = Self.month(letters())
            }
            guard day.digits > 0, let month else { return nil }
            skipSeparator()
            _ = skip(UInt8(ascii: ","))
            skipSpace()
            let year = number(most: 4)
            let fullYear: Int
            switch year.digits {
            case 4: fullYear = year.value
            case 3: fullYear = 1900 + year.value
            case 2: fullYear = year.value < 50 ? 2000 + year.value : 1900 + year.value
            default: return nil
            }
            skipSpace()
            var time = (seconds: 0.0, offset: 0)
            if current != nil {
                guard let read = timeAndZone(separated: true) else { return nil }
                time = read
            }
            // A trailing comment such as "(UTC)" is allowed; anything else is not a date.
            skipSpace()
            guard current == nil || current == UInt8(ascii: "(") else { return nil }
            return Self.date(year: fullYear, month: month, day: day.value, seconds: time.seconds, offset: time.offset)
        }

        mutating func skipSeparator() {
            skipSpace()
            _ = skip(UInt8(ascii: "-"))
            skipSpace()
        }

        static func month(_ name: String) -> Int? {
            guard name.count >= 3 else { return nil }
            return months[String(name.prefix(3))]
        }

        static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]

        /// RFC 822's zones and a few more feeds use; other single letters (military zones)
        /// read as UTC, as RFC 2822 says they must, their meaning having been muddled.
        static let namedZones = [
            "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
            "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
            "akst": -9, "akdt": -8, "hst": -10, "ist": 5, "jst": 9, "aest": 10, "aedt": 11,
        ]

        static func date(year: Int, month: Int, day: Int, seconds: Double, offset: Int) -> Date? {
            guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
            // Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return Date(timeIntervalSince1970: Double(days * 86_400 - offset) + seconds)
        }

        static func daysIn(month: Int, year: Int) -> Int {
            switch month {
            case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
    }
}
