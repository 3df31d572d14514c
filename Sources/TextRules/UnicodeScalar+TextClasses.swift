/// Character classes the scanners share, written as range checks on scalar values so the hot
/// loops never build a regular expression or a `String`.
extension Unicode.Scalar {
    @inline(__always) var isASCIIDigit: Bool { value &- 0x30 < 10 }
    @inline(__always) var isASCIILetter: Bool { (value | 0x20) &- 0x61 < 26 }
    @inline(__always) var isASCIIAlphanumeric: Bool { isASCIIDigit || isASCIILetter }

    /// `[A-Za-z0-9_]`, the word characters of JavaScript's `\b` and of X usernames.
    @inline(__always) var isASCIIWordCharacter: Bool { isASCIIAlphanumeric || value == 0x5F }

    /// ASCII letters lowercased; every other scalar unchanged.
    @inline(__always) var asciiLowercased: UInt32 { isASCIILetter ? value | 0x20 : value }

    /// Accented Latin letters and combining diacritics twitter-text accepts in domains and paths.
    var isLatinAccent: Bool {
        let v = value
        switch v {
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0xFF, 0x100...0x24F, 0x300...0x36F, 0x1E00...0x1EFF:
            return true
        case 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x268, 0x26F, 0x272, 0x289, 0x28B, 0x2BB:
            return true
        default:
            return false
        }
    }

    @inline(__always) var isCyrillic: Bool { value &- 0x400 < 0x100 }

    /// U+FFFE, U+FEFF and U+FFFF, which X refuses in a post.
    @inline(__always) var isTwitterInvalidCharacter: Bool {
        value == 0xFFFE || value == 0xFEFF || value == 0xFFFF
    }

    /// Bidirectional marks and embeddings (LRM, RLM, ALM, LRE…PDI).
    var isDirectionalMark: Bool {
        switch value {
        case 0x61C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The whitespace of JavaScript's `\s`, used by Bluesky's detection.
    var isJavaScriptWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
            0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Letters, marks, decimal digits and connector punctuation: Ruby's `[[:word:]]`.
    var isUnicodeWordCharacter: Bool {
        if value < 0x80 { return isASCIIWordCharacter }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    /// Unicode punctuation, `\p{P}`.
    var isPunctuation: Bool {
        if value < 0x80 {
            // ASCII punctuation except the symbols `$+<=>^`|~`, which are \p{S}.
            switch value {
            case 0x21...0x23, 0x25...0x2A, 0x2C...0x2F, 0x3A, 0x3B, 0x3F, 0x40, 0x5B...0x5D, 0x5F, 0x7B, 0x7D:
                return true
            default:
                return false
            }
        }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is drawn as an emoji on its own or starts an emoji sequence, as far as
    /// emoji counting cares: digits, `#` and `*` only become emoji inside a keycap sequence.
    var isEmojiStart: Bool {
        if value < 0x80 { return false }
        if value <= 0xFFFF { return basicMultilingualPlaneEmoji[Int(value &>> 6)] & (1 &<< (value & 63)) != 0 }
        return properties.isEmoji
    }

    @inline(__always) var isRegionalIndicator: Bool { value &- 0x1F1E6 < 26 }
    @inline(__always) var isEmojiModifier: Bool { value &- 0x1F3FB < 5 }
}

/// `Unicode.Scalar.Properties.isEmoji` of every scalar up to U+FFFF, one bit each (8 KiB), read
/// from the standard library once. X's count asks it of every non-ASCII scalar, and the
/// property lookup was a large part of counting non-Latin text.
private let basicMultilingualPlaneEmoji: [UInt64] = (0..<0x400).map { word in
    var bits: UInt64 = 0
    for bit in 0..<64 {
        if let scalar = Unicode.Scalar(UInt32(word * 64 + bit)), scalar.properties.isEmoji { bits |= 1 << UInt64(bit) }
    }
    return bits
}

extension Array where Element == Unicode.Scalar {
    /// The scalar at `index`, or nil past either end — lets scanners look ahead without bounds checks.
    @inline(__always) func at(_ index: Int) -> Unicode.Scalar? {
        index >= 0 && index < count ? self[index] : nil
    }

    /// The scalars in `range` as a `String`.
    ///
    /// Writes the UTF-8 directly: `UnicodeScalarView.append(contentsOf:)` goes through a UTF-32
    /// array and a second string, and every entity's text is made here.
    func string(_ range: Range<Int>) -> String {
        var byteCount = 0
        for index in range { byteCount += UTF8.width(self[index]) }
        return String(unsafeUninitializedCapacity: byteCount) { buffer in
            var written = 0
            for index in range {
                UTF8.encode(self[index]) { byte in
                    buffer[written] = byte
                    written += 1
                }
            }
            return written
        }
    }

    /// Appends the UTF-8 of the scalars in `range` to `bytes`, to build a string in pieces.
    func appendUTF8(_ range: Range<Int>, to bytes: inout [UInt8]) {
        for index in range {
            UTF8.encode(self[index]) { bytes.append($0) }
        }
    }

    /// UTF-16 code units needed for the scalars in `range`.
    func utf16Count(_ range: Range<Int>) -> Int {
        var total = 0
        for index in range { total += self[index].value > 0xFFFF ? 2 : 1 }
        return total
    }
}
