import Feeds
import Foundation
import Testing

/// Dates in the forms feeds write them.
@Suite struct FeedDateTests {
    private static let rfc822: [(String, Date)] = [
        ("Tue, 01 Dec 2026 08:30:00 +0000", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 08:30:00 GMT", utc(2026, 12, 1, 8, 30)),
        ("Tue, 1 Dec 2026 08:30:00 UT", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 08:30:00 Z", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 03:30:00 EST", utc(2026, 12, 1, 8, 30)),
        ("Wed, 01 Jul 2026 04:30:00 EDT", utc(2026, 7, 1, 8, 30)),
        ("Tue, 01 Dec 2026 02:30:00 CST", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 01:30:00 MST", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 00:30:00 PST", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 01:30:00 PDT", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 09:30:00 +0100", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 14:00:00 +05:30", utc(2026, 12, 1, 8, 30)),
        ("Mon, 30 Nov 2026 22:30:00 -1000", utc(2026, 12, 1, 8, 30)),
        // Military zones other than Z read as UTC (RFC 2822 §4.3).
        ("Tue, 01 Dec 2026 08:30:00 A", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026 08:30 +0000", utc(2026, 12, 1, 8, 30)),
        ("01 Dec 2026 08:30:00 +0000", utc(2026, 12, 1, 8, 30)),
        // The weekday is wrong (1 December 2026 is a Tuesday): ignored.
        ("Fri, 01 Dec 2026 08:30:00 +0000", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 26 08:30:00 +0000", utc(2026, 12, 1, 8, 30)),
        ("Sat, 01 Jan 99 00:00:00 GMT", utc(1999, 1, 1)),
        ("Tuesday, 01-Dec-26 08:30:00 GMT", utc(2026, 12, 1, 8, 30)),
        ("tue, 01 december 2026 08:30:00 gmt", utc(2026, 12, 1, 8, 30)),
        ("Tue, 01 Dec 2026", utc(2026, 12, 1)),
        ("  Tue, 01 Dec 2026 08:30:00 +0000 (UTC)\n", utc(2026, 12, 1, 8, 30)),
        ("Tue, 29 Feb 2028 08:30:00 +0000", utc(2028, 2, 29, 8, 30)),
    ]

    private static let iso8601: [(String, Date)] = [
        ("2026-12-01T08:30:00Z", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01T08:30:00.250Z", utc(2026, 12, 1, 8, 30).addingTimeInterval(0.25)),
        ("2026-12-01T09:30:00+01:00", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01T00:30:00-0800", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01T10:30:00+02", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01T08:30:00", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01 08:30:00", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01t08:30:00z", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01T09:30+01:00", utc(2026, 12, 1, 8, 30)),
        ("2026-12-01", utc(2026, 12, 1)),
        ("2026-12", utc(2026, 12, 1)),
        ("20261201T083000Z", utc(2026, 12, 1, 8, 30)),
        ("20261201", utc(2026, 12, 1)),
        ("2026-12-01T08:30:00.123456789+00:00", utc(2026, 12, 1, 8, 30).addingTimeInterval(0.123456789)),
    ]

    @Test(arguments: rfc822) func rfc822DatesRead(_ text: String, _ expected: Date) {
        #expect(FeedDate.parse(text).map { abs($0.timeIntervalSince(expected)) < 0.000_01 } == true, "\(text)")
    }

    @Test(arguments: iso8601) func iso8601DatesRead(_ text: String, _ expected: Date) {
        #expect(FeedDate.parse(text).map { abs($0.timeIntervalSince(expected)) < 0.000_01 } == true, "\(text)")
    }

    @Test(arguments: [
        "", "yesterday", "Tue, 32 Dec 2026 08:30:00 +0000", "Tue, 29 Feb 2027 08:30:00 +0000", "Tue, 01 Foo 2026 08:30:00 +0000",
        "2026-13-01", "2026-02-30T00:00:00Z", "2026-12-01T25:00:00Z", "2026-12-01T08:61:00Z", "2026-12-01T08:30:00+99:00",
        "Tue, 01 Dec 2026 08:30:00 +0000 and then some", "12/01/2026", "0000-01-01",
    ])
    func whatIsNoDateGivesNone(_ text: String) {
        #expect(FeedDate.parse(text) == nil, "\(text)")
    }
}
