/// Finds `@username` mentions the way twitter-text does: 1–20 letters, digits or underscores
/// after one or more at signs, not glued to a preceding word, email address or URL.
struct TwitterMentionScanner {
    struct Match {
        /// From the (last) at sign to the end of the username — or of the list, for `@user/list`.
        var range: Range<Int>
        var isList: Bool
    }

    static let maxUsernameLength = 20
    static let maxListSlugLength = 25

    let scalars: [Unicode.Scalar]

    func matches() -> [Match] {
        let s = scalars
        guard s.contains(where: Self.isAtSign) else { return [] }
        var result: [Match] = []
        var position = 0
        while position < s.count {
            guard let (match, end) = match(at: position) else {
                position += 1
                continue
            }
            position = end
            if !endsBadly(at: end) {
                result.append(match)
            }
        }
        return result
    }

    @inline(__always) static func isAtSign(_ c: Unicode.Scalar) -> Bool { c == "@" || c.value == 0xFF20 }

    /// A character that may not stand right before a mention's at sign.
    private func isBlockingPreceding(_ c: Unicode.Scalar) -> Bool {
        if c.isASCIIWordCharacter || Self.isAtSign(c) { return true }
        switch c.value {
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x2A: return true  // ! # $ % & *
        default: return false
        }
    }

    /// The alternatives twitter-text's regex tries at one position, in its order: any allowed
    /// character then the mention, the start of text, or a retweet prefix `RT`/`RT:`.
    private func match(at position: Int) -> (Match, Int)? {
        let s = scalars
        if !isBlockingPreceding(s[position]), let found = mention(at: position + 1) { return found }
        if position == 0, let found = mention(at: 0) { return found }
        if position == 0, let found = retweetMention(at: 0) { return found }
        let c = s[position]
        let blocksRetweet = c.isASCIIWordCharacter || c == "+" || c == "~" || c == "." || c == "-"
        if !blocksRetweet, let found = retweetMention(at: position + 1) { return found }
        return nil
    }

    private func retweetMention(at index: Int) -> (Match, Int)? {
        let s = scalars
        guard index + 2 < s.count, s[index].asciiLowercased == 0x72, s[index + 1].asciiLowercased == 0x74
        else { return nil }
        let next = s[index + 2] == ":" ? index + 3 : index + 2
        return mention(at: next)
    }

    /// At signs, username and optional list slug starting exactly at `index`.
    private func mention(at index: Int) -> (Match, Int)? {
        let s = scalars
        var k = index
        while let c = s.at(k), Self.isAtSign(c) { k += 1 }
        guard k > index else { return nil }
        let usernameStart = k
        while k - usernameStart < Self.maxUsernameLength, let c = s.at(k), c.isASCIIWordCharacter { k += 1 }
        guard k > usernameStart else { return nil }
        let usernameEnd = k
        if s.at(k) == "/", let first = s.at(k + 1), first.isASCIILetter {
            var end = k + 2
            while end - (k + 1) < Self.maxListSlugLength, let c = s.at(end), c.isASCIIWordCharacter || c == "-" {
                end += 1
            }
            return (Match(range: usernameStart - 1..<end, isList: true), end)
        }
        return (Match(range: usernameStart - 1..<usernameEnd, isList: false), usernameEnd)
    }

    /// A mention running into another at sign, an accented letter or `://` is not one.
    private func endsBadly(at end: Int) -> Bool {
        let s = scalars
        guard let next = s.at(end) else { return false }
        if Self.isAtSign(next) || next.isLatinAccent { return true }
        return next == ":" && s.at(end + 1) == "/" && s.at(end + 2) == "/"
    }
}
