@testable import App
import Foundation
import Testing

/// Invariant 3: 09:00 stays 09:00 local across DST; a time that does not exist moves forward by
/// the gap; one that exists twice is its first occurrence. Checked where the clocks change in
/// either hemisphere, by 30 minutes' offset, by 45, and nowhere.
@Suite struct PostingScheduleTests {
    private static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private static func local(_ date: Date, _ zone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let c = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        return String(format: "%d %02d:%02d", (c.weekday! + 5) % 7 + 1, c.hour!, c.minute!)
    }

    @Test(arguments: ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham"])
    func nineOClockStaysNineOClockLocalAllYear(_ zone: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        let schedule = PostingSchedule(slots: [PostingSlot(weekday: 7, hour: 9, minute: 0)!, PostingSlot(weekday: 2, hour: 17, minute: 30)!], zone: tz)
        let instants = schedule.instants(from: Self.utc("2026-01-01T00:00:00Z"), count: 120)
        #expect(instants.count == 120)
        #expect(instants == instants.sorted())
        for instant in instants {
            #expect(["7 09:00", "2 17:30"].contains(Self.local(instant, zone)), "\(instant) is \(Self.local(instant, zone)) in \(zone)")
        }
        let offsets = Set(instants.map { tz.secondsFromGMT(for: $0) })
        #expect(offsets.count == (zone == "Asia/Kolkata" ? 1 : 2), "the offset changes where the zone has DST")
    }

    @Test(arguments: [
        // The hour the clocks skip: the time moves forward by the gap.
        ("America/New_York", 2026, 3, 8, 2, 30, "2026-03-08T07:30:00Z"),
        ("Europe/Berlin", 2026, 3, 29, 2, 30, "2026-03-29T01:30:00Z"),
        ("Australia/Sydney", 2026, 10, 4, 2, 30, "2026-10-03T16:30:00Z"),
        ("Pacific/Chatham", 2026, 9, 27, 3, 0, "2026-09-26T14:15:00Z"),
        // The hour the clocks repeat: the first occurrence.
        ("America/New_York", 2026, 11, 1, 1, 30, "2026-11-01T05:30:00Z"),
        ("Europe/Berlin", 2026, 10, 25, 2, 30, "2026-10-25T00:30:00Z"),
        ("Australia/Sydney", 2026, 4, 5, 2, 30, "2026-04-04T15:30:00Z"),
        ("Pacific/Chatham", 2026, 4, 5, 3, 0, "2026-04-04T13:15:00Z"),
        // And where nothing changes.
        ("Asia/Kolkata", 2026, 3, 8, 2, 30, "2026-03-07T21:00:00Z"),
        ("America/New_York", 2026, 3, 8, 3, 30, "2026-03-08T07:30:00Z"),
        ("America/New_York", 2026, 11, 1, 2, 30, "2026-11-01T07:30:00Z"),
    ])
    func skippedTimesMoveForwardAndRepeatedTimesTakeTheFirst(_ c: (String, Int, Int, Int, Int, Int, String)) throws {
        let zone = try #require(TimeZone(identifier: c.0))
        #expect(LocalTime.instant(year: c.1, month: c.2, day: c.3, hour: c.4, minute: c.5, in: zone) == Self.utc(c.6))
    }

    @Test func aSlotOnTheDayTheClocksChangeIsOnThatDay() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let sunday0230 = PostingSchedule(slots: [PostingSlot(weekday: 7, hour: 2, minute: 30)!], zone: berlin)
        let spring = sunday0230.instants(from: Self.utc("2026-03-28T00:00:00Z"), count: 2)
        #expect(spring == [Self.utc("2026-03-29T01:30:00Z"), Self.utc("2026-04-05T00:30:00Z")])
        let autumn = sunday0230.instants(from: Self.utc("2026-10-24T00:00:00Z"), count: 2)
        #expect(autumn == [Self.utc("2026-10-25T00:30:00Z"), Self.utc("2026-11-01T01:30:00Z")], "once, not twice")
    }

    @Test func theNextFreeSlotSkipsTakenOnes() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let schedule = PostingSchedule(slots: [PostingSlot(weekday: 1, time: "09:00")!, PostingSlot(weekday: 3, time: "09:00")!], zone: zone)
        let monday = Self.utc("2026-12-07T14:00:00Z")
        let wednesday = Self.utc("2026-12-09T14:00:00Z")
        #expect(schedule.nextFree(from: Self.utc("2026-12-07T10:00:00Z"), taken: []) == monday)
        #expect(schedule.nextFree(from: Self.utc("2026-12-07T10:00:00Z"), taken: [monday]) == wednesday)
        #expect(PostingSchedule(slots: [], zone: zone).nextFree(from: monday, taken: []) == nil)
    }

    @Test func slotsAreReadStrictly() {
        #expect(PostingSlot(weekday: 1, time: "09:00")?.time == "09:00")
        for bad in ["9:00", "24:00", "09:60", "09:00:00", "0900", "٠٩:٠٠", ""] { #expect(PostingSlot(weekday: 1, time: bad) == nil, "\(bad)") }
        #expect(PostingSlot(weekday: 0, time: "09:00") == nil)
        #expect(PostingSlot(weekday: 8, time: "09:00") == nil)
    }
}
