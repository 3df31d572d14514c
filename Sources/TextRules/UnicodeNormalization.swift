import Foundation

/// NFC normalisation for X's counting, skipping Foundation for text that is certainly NFC
/// already — most posts — since normalising dominates the cost of a short check otherwise.
enum UnicodeNormalization {
    /// `scalars` in Normalization Form C; the same array when nothing can change.
    static func nfc(_ scalars: [Unicode.Scalar], of text: String) -> [Unicode.Scalar] {
        if scalars.allSatisfy(isStableUnderNFC) { return scalars }
        return Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// Scalars that NFC never changes, whatever surrounds them — provided every neighbour is
    /// one too: no canonical decomposition that differs from themselves, no composition with
    /// a following character of these ranges, no reordering among them.
    @inline(__always) static func isStableUnderNFC(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x300 { return true }
        switch v {
        case 0x400...0x4FF,  // Cyrillic
            0x200B...0x200F, 0x2010...0x2027, 0x2030...0x205E,  // joiners, general punctuation
            0x20E3,  // combining enclosing keycap (class 0, composes with nothing)
            0x2460...0x24FF, 0x25A0...0x27BF, 0x2B00...0x2BFF,  // enclosed signs, shapes, symbols, dingbats
            0x3000...0x3029, 0x3030...0x3096, 0x309B...0x30FF,  // CJK punctuation, kana
            0x4E00...0x9FFF,  // CJK ideographs
            0xAC00...0xD7A3,  // Hangul syllables
            0xFE00...0xFE0F,  // variation selectors
            0xFF01...0xFFEE,  // halfwidth and fullwidth forms
            0x1F000...0x1FAFF,  // emoji
            0xE0020...0xE007F:  // tag characters (subdivision flags)
            return true
        default:
            return false
        }
    }
}
