import Foundation

/// Turns a wall-clock time in a zone into an instant, by invariant 3: a local time that does not
/// exist (the hour skipped when clocks spring forward) moves forward by the length of the gap,
/// as RFC 5545 does; one that exists twice (the hour repeated when they fall back) is its first
/// occurrence.
enum LocalTime {
    /// The instant at `hour:minute` on the local calendar day `day` (its year, month, day).
    static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, in zone: TimeZone) -> Date {
        // The wall-clock reading as if it were UTC, in seconds.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let wall = utc.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!.timeIntervalSince1970
        // Every offset the zone has within a day either side; a transition cannot be further.
        let offsets = Set([-86_400.0, -43_200, 0, 43_200, 86_400].map { Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + $0))) })
        let matches = offsets
            .map { wall - $0 }
            .filter { Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0))) == wall - $0 }
        if let first = matches.min() { return Date(timeIntervalSince1970: first) }
        // In a gap: read the wall time with the offset from before the change, which lands as
        // far past the change as the time was past its start.
        let before = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 86_400)))
        return Date(timeIntervalSince1970: wall - before)
    }
}
