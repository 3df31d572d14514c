import Foundation

/// A count read from a network's answer, checked before anyone believes it: a whole number from
/// 0 to `largest`. Anything else (negative, fractional, a string, a number beyond any real
/// post's reach) makes the post's answer unreadable rather than a count that is made up.
enum MetricCount {
    /// No post has been seen a trillion times; a number beyond it is not a count.
    static let largest = 1_000_000_000_000

    /// The count under `key`: nil when the answer leaves it out or says null (the network
    /// does not count it); a `DecodingError` when it is there but not a count.
    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Int? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        // Read as a Double: Foundation's decoder fails the whole document when a number does
        // not fit the integer type asked for, and one odd post must not cost the others. A
        // Double holds every whole number up to 2^53, far beyond `largest`. (A number beyond
        // a Double's range still fails the whole answer, which is then refused as a whole.)
        let value = try container.decode(Double.self, forKey: key)
        guard value.rounded(.towardZero) == value, value >= 0, value <= Double(largest) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "count out of range")
        }
        return Int(value)
    }

    /// `value` as a count, when it is a whole number from 0 to `largest`; else nil.
    static func whole(_ value: Double) -> Int? {
        guard value.isFinite, value >= 0, value <= Double(largest), value.rounded(.towardZero) == value else { return nil }
        return Int(value)
    }
}
