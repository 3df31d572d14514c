/// Membership tests for top-level domains, shaped for the URL scanner: ASCII domains are looked
/// up by a packed integer key so that testing a candidate never allocates a `String`.
enum TopLevelDomains {
    /// An ASCII domain of up to 20 letters and digits packed six bits per character.
    struct ASCIIKey: Hashable {
        var high: UInt64 = 0
        var low: UInt64 = 0
    }

    static let maxASCIILength = 20

    static let ascii: Set<ASCIIKey> = {
        var keys = Set<ASCIIKey>()
        for name in allNames where name.unicodeScalars.allSatisfy(\.isASCII) {
            let scalars = Array(name.unicodeScalars)
            if let key = key(scalars, 0..<scalars.count) { keys.insert(key) }
        }
        return keys
    }()

    /// Domains with non-ASCII characters, compared exactly (twitter-text folds ASCII case only).
    static let nonASCII: Set<String> = Set(allNames.filter { !$0.unicodeScalars.allSatisfy(\.isASCII) })

    static let maxNonASCIILength: Int = nonASCII.map(\.unicodeScalars.count).max() ?? 0

    private static let allNames: [String] =
        (TopLevelDomainList.generic + " " + TopLevelDomainList.countryCode)
        .split(whereSeparator: { $0 == " " || $0 == "\n" })
        .map(String.init)

    /// The packed key for the ASCII letters and digits in `range`, or nil if they cannot be one.
    static func key(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> ASCIIKey? {
        guard range.count <= maxASCIILength else { return nil }
        var key = ASCIIKey()
        for (position, index) in range.enumerated() {
            let scalar = scalars[index]
            let code: UInt64
            if scalar.isASCIILetter {
                code = UInt64(scalar.asciiLowercased - 0x60)
            } else if scalar.isASCIIDigit {
                code = UInt64(scalar.value - 0x30 + 27)
            } else {
                return nil
            }
            if position < 10 {
                key.low |= code << (position * 6)
            } else {
                key.high |= code << ((position - 10) * 6)
            }
        }
        return key
    }

    /// Whether `label` (any case) is a known top-level domain.
    static func contains(_ label: String) -> Bool {
        let scalars = Array(label.unicodeScalars)
        if scalars.allSatisfy(\.isASCII) {
            guard let key = key(scalars, 0..<scalars.count) else { return false }
            return ascii.contains(key)
        }
        return nonASCII.contains(label)
    }
}
