extension ATProtoSyntax {
    static let maxDatetimeLength = 64

    /// The AT Protocol datetime syntax: RFC 3339 and ISO 8601 at once —
    /// `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `±HH:MM` (not `-00:00`);
    /// uppercase `T` and `Z`, every field zero-padded.
    public static func isValidDatetimeSyntax(_ datetime: String) -> Bool {
        parseFields(datetime) != nil
    }

    /// A datetime that is valid syntax and a real instant: month 1–12, a day that month has,
    /// hour 0–23, minute and second 0–59, and not before year 0 once the offset is applied.
    public static func isValidDatetime(_ datetime: String) -> Bool {
        guard let f = parseFields(datetime) else { return false }
        guard (1...12).contains(f.month), f.day >= 1, f.day <= daysIn(month: f.month, year: f.year),
            f.hour <= 23, f.minute <= 59, f.second <= 59, f.offsetHours <= 23
        else { return false }
        let days = daysBefore(year: f.year) + daysBefore(month: f.month, year: f.year) + f.day - 1
        let seconds = ((days * 24 + f.hour) * 60 + f.minute) * 60 + f.second
        return seconds - f.offsetSign * (f.offsetHours * 3600 + f.offsetMinutes * 60) >= 0
    }

    private struct Fields {
        var year, month, day, hour, minute, second: Int
        var offsetSign = 0
        var offsetHours = 0
        var offsetMinutes = 0
    }

    private static func parseFields(_ datetime: String) -> Fields? {
        let b = Array(datetime.utf8)
        guard b.count >= 20, b.count <= maxDatetimeLength else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard isASCIIDigit(b[index]) else { return nil }
                value = value * 10 + Int(b[index] - 0x30)
            }
            return value
        }
        func byte(_ index: Int, is character: Character) -> Bool { b[index] == character.asciiValue }
        guard byte(4, is: "-"), byte(7, is: "-"), byte(10, is: "T"), byte(13, is: ":"), byte(16, is: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            b[5] <= UInt8(ascii: "1"), b[8] <= UInt8(ascii: "3"), b[11] <= UInt8(ascii: "2"),
            b[14] <= UInt8(ascii: "6"), b[17] <= UInt8(ascii: "6")
        else { return nil }
        var fields = Fields(year: year, month: month, day: day, hour: hour, minute: minute, second: second)

        var k = 19
        if byte(k, is: ".") {
            let fractionStart = k + 1
            k = fractionStart
            while k < b.count, isASCIIDigit(b[k]) { k += 1 }
            guard k > fractionStart, k - fractionStart <= 20 else { return nil }
        }
        guard k < b.count else { return nil }  // a time zone is required
        if byte(k, is: "Z") {
            return k + 1 == b.count ? fields : nil
        }
        guard k + 6 == b.count, byte(k, is: "+") || byte(k, is: "-"), byte(k + 3, is: ":"),
            let offsetHours = number(k + 1..<k + 3), let offsetMinutes = number(k + 4..<k + 6),
            b[k + 1] <= UInt8(ascii: "2"), b[k + 4] <= UInt8(ascii: "5")
        else { return nil }
        fields.offsetSign = byte(k, is: "+") ? 1 : -1
        // "-00:00" means "offset unknown" in RFC 3339, which ISO 8601 does not allow.
        if fields.offsetSign < 0 && offsetHours == 0 && offsetMinutes == 0 { return nil }
        fields.offsetHours = offsetHours
        fields.offsetMinutes = offsetMinutes
        return fields
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 0000-01-01 to the first of `year`, proleptic Gregorian (year 0 is a leap year).
    private static func daysBefore(year: Int) -> Int {
        guard year > 0 else { return 0 }
        let previous = year - 1
        return year * 365 + previous / 4 - previous / 100 + previous / 400 + 1
    }

    private static func daysBefore(month: Int, year: Int) -> Int {
        (1..<month).reduce(0) { $0 + daysIn(month: $1, year: year) }
    }
}
