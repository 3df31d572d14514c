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
        return properties.isEmoji
    }

    @inline(__always) var isRegionalIndicator: Bool { value &- 0x1F1E6 < 26 }
    @inline(__always) var isEmojiModifier: Bool { value &- 0x1F3FB < 5 }
}

extension Array where Element == Unicode.Scalar {
    /// The scalar at `index`, or nil past either end — lets scanners look ahead without bounds checks.
    @inline(__always) func at(_ index: Int) -> Unicode.Scalar? {
        index >= 0 && index < count ? self[index] : nil
    }

    /// The scalars in `range` as a `String`.
    func string(_ range: Range<Int>) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: self[range])
        return String(result)
    }

    /// UTF-16 code units needed for the scalars in `range`.
    func utf16Count(_ range: Range<Int>) -> Int {
        var total = 0
        for index in range { total += self[index].value > 0xFFFF ? 2 : 1 }
        return total
    }
}
