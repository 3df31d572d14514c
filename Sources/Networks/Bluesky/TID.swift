import Foundation

/// An AT Protocol timestamp identifier: 53 bits of microseconds since the Unix epoch and 10
/// bits of clock id, written as 13 characters of base32-sortable. A delivery's record key is a
/// TID fixed when the delivery is made, so sending it again names the same record.
public enum TID {
    private static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")

    /// The TID for `microseconds` since the epoch and `clockID` (0…1023).
    public static func make(microseconds: UInt64, clockID: UInt16) -> String {
        let value = (microseconds & 0x1F_FFFF_FFFF_FFFF) << 10 | UInt64(clockID & 0x3FF)
        return String((0..<13).reversed().map { alphabet[Int(value >> (UInt64($0) * 5) & 0x1F)] })
    }

    /// The TID of `date` (to the microsecond), one clock id for each of a delivery's parts.
    public static func make(at date: Date, clockID: UInt16) -> String {
        make(microseconds: UInt64(max(0, date.timeIntervalSince1970) * 1_000_000), clockID: clockID)
    }
}
