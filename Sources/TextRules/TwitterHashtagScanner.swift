/// Finds `#hashtags` the way twitter-text does: a `#` or `＃` not glued to a preceding word,
/// then letters, marks, digits and a few joiners, with at least one letter.
struct TwitterHashtagScanner {
    let scalars: [Unicode.Scalar]

    /// Ranges from the hash sign to the end of the tag.
    func matches() -> [Range<Int>] {
        let s = scalars
        guard s.contains(where: Self.isHashSign) else { return [] }
        var result: [Range<Int>] = []
        var position = 0
        while position < s.count {
            var found: Range<Int>?
            if position == 0 { found = hashtag(at: 0) }
            if found == nil, Self.mayPrecede(s[position]) { found = hashtag(at: position + 1) }
            guard let range = found else {
                position += 1
                continue
            }
            position = range.upperBound
            if !endsBadly(at: range.upperBound) {
                result.append(range)
            }
        }
        return result
    }

    @inline(__always) static func isHashSign(_ c: Unicode.Scalar) -> Bool { c == "#" || c.value == 0xFF03 }

    /// Variation selectors may precede a hashtag even though they are marks (an emoji before it).
    private static func mayPrecede(_ c: Unicode.Scalar) -> Bool {
        if c.value == 0xFE0E || c.value == 0xFE0F { return true }
        return c != "&" && !isTagCharacter(c)
    }

    static func isTagLetter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.isASCIILetter }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    static func isTagCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.isASCIIWordCharacter }
        switch c.value {
        // Joiners and script punctuation that live inside words (ZWNJ, ZWJ, maqaf, geresh,
        // gershayim, wave dashes, kana marks, ditto mark, tsheg, middle dots, kavyka).
        case 0x200C, 0x200D, 0xA67E, 0x05BE, 0x05F3, 0x05F4, 0xFF5E, 0x301C, 0x309B, 0x309C, 0x30A0, 0x30FB,
            0x3003, 0x0F0B, 0x0F0C, 0x00B7:
            return true
        default:
            return isTagLetter(c) || c.properties.generalCategory == .decimalNumber
        }
    }

    private func hashtag(at index: Int) -> Range<Int>? {
        let s = scalars
        guard let sign = s.at(index), Self.isHashSign(sign) else { return nil }
        if let next = s.at(index + 1), next.value == 0xFE0F || next.value == 0x20E3 { return nil }  // keycap #️⃣
        var k = index + 1
        var hasLetter = false
        while let c = s.at(k), Self.isTagCharacter(c) {
            if !hasLetter && Self.isTagLetter(c) { hasLetter = true }
            k += 1
        }
        return hasLetter ? index..<k : nil
    }

    /// A hashtag running into another hash sign or `://` is not one.
    private func endsBadly(at end: Int) -> Bool {
        let s = scalars
        guard let next = s.at(end) else { return false }
        if Self.isHashSign(next) { return true }
        return next == ":" && s.at(end + 1) == "/" && s.at(end + 2) == "/"
    }
}
