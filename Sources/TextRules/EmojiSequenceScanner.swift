/// Recognises emoji sequences for X's weighted counting (config v3 `emojiParsingEnabled`), where
/// each whole sequence — flag, keycap, skin-toned or ZWJ-joined family — weighs as one
/// default-weight character.
///
/// twitter-text enumerates the sequences of one Unicode release in a generated regex; this
/// follows the same shapes from the standard library's emoji properties instead, so newer emoji
/// count as one too. The shapes, as twitter-text defines them:
/// - a keycap `[#*0-9]` + optional U+FE0F + U+20E3;
/// - a pair of regional indicators (a lone one counts too);
/// - an emoji, with U+FE0F, optional for emoji-presentation characters; a text-presentation
///   character followed by U+FE0E stays text, and © ® ™ ♟ need U+FE0F to be emoji;
///   then an optional skin-tone modifier, tag characters (subdivision flags) and
///   U+200D-joined further emoji;
/// - a stray U+FE0F on its own.
enum EmojiSequenceScanner {
    /// The number of scalars of the emoji sequence starting at `index`, or 0 if none starts there.
    static func sequenceLength(in s: [Unicode.Scalar], at index: Int) -> Int {
        let first = s[index]
        let value = first.value
        if value < 0x80 {
            guard first.isASCIIDigit || value == 0x23 || value == 0x2A else { return 0 }
            if s.at(index + 1)?.value == 0x20E3 { return 2 }
            if s.at(index + 1)?.value == 0xFE0F, s.at(index + 2)?.value == 0x20E3 { return 3 }
            return 0
        }
        if value == 0xFE0F { return 1 }
        if first.isRegionalIndicator {
            return s.at(index + 1)?.isRegionalIndicator == true ? 2 : 1
        }
        guard let afterFirst = element(in: s, at: index) else { return 0 }
        var end = afterFirst
        // Subdivision flags: black flag + tag letters + cancel tag.
        if value == 0x1F3F4, let tag = s.at(end), tag.value &- 0xE0020 < 0x5F {
            var k = end
            while let c = s.at(k), c.value &- 0xE0020 < 0x5F { k += 1 }
            if s.at(k)?.value == 0xE007F { end = k + 1 }
        }
        while s.at(end)?.value == 0x200D, let joinedEnd = element(in: s, at: end + 1) {
            end = joinedEnd
        }
        return end - index
    }

    /// Whether an emoji sequence may start with `c`; when not, `sequenceLength` is 0 wherever
    /// `c` stands, so a caller may skip gathering the scalars around it.
    static func mayStart(with c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.isASCIIDigit || c.value == 0x23 || c.value == 0x2A }
        return c.value == 0xFE0F || c.isRegionalIndicator || c.isEmojiStart
    }

    /// One emoji with its presentation selector and skin tone; returns the index after it.
    private static func element(in s: [Unicode.Scalar], at index: Int) -> Int? {
        guard let c = s.at(index), c.isEmojiStart else { return nil }
        let properties = c.properties
        var end = index + 1
        if let next = s.at(end) {
            if next.value == 0xFE0F {
                end += 1
            } else if !properties.isEmojiPresentation {
                if next.value == 0xFE0E { return nil }
                if isTextByDefault(c) { return nil }
            }
        } else if !properties.isEmojiPresentation && isTextByDefault(c) {
            return nil
        }
        if properties.isEmojiModifierBase, let modifier = s.at(end), modifier.isEmojiModifier {
            end += 1
            if s.at(end)?.value == 0xFE0F { end += 1 }
        }
        return end
    }

    /// Symbols that twitter-text counts as emoji only when followed by U+FE0F.
    private static func isTextByDefault(_ c: Unicode.Scalar) -> Bool {
        c.value == 0xA9 || c.value == 0xAE || c.value == 0x2122 || c.value == 0x265F
    }
}
