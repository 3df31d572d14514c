/// The parts of a link after its domain: path and query, as twitter-text's grammar allows them.
extension TwitterURLScanner {
    func isPathCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.isASCIIAlphanumeric { return true }
        switch c.value {
        case 0x21, 0x23...0x27, 0x2A...0x2F, 0x3A, 0x3B, 0x3D, 0x40, 0x5B, 0x5D, 0x5F, 0x7C, 0x7E, 0x2013:
            // ! #$%&' *+,-./ : ; = @ [ ] _ | ~ –
            return true
        default:
            return c.isCyrillic || c.isLatinAccent
        }
    }

    func isPathEndingCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.isASCIIAlphanumeric { return true }
        switch c.value {
        case 0x3D, 0x5F, 0x23, 0x2F, 0x2D, 0x2B: return true  // = _ # / - +
        default: return c.isCyrillic || c.isLatinAccent
        }
    }

    /// The end of a path after its leading `/`: path characters and balanced parentheses, up to
    /// the last one that may end a path (so `/foo.` keeps its period out).
    func pathEnd(from start: Int) -> Int {
        let s = scalars
        var k = start
        var end = start
        while k < s.count {
            let c = s[k]
            if isPathCharacter(c) {
                k += 1
                if isPathEndingCharacter(c) { end = k }
            } else if c == "(", let close = balancedParenthesesEnd(at: k) {
                k = close
                end = k
            } else {
                break
            }
        }
        return end
    }

    /// `(path)` or `(path(path)path)`: one level of nesting, as in Wikipedia links.
    func balancedParenthesesEnd(at open: Int) -> Int? {
        let s = scalars
        var k = open + 1
        while let c = s.at(k), isPathCharacter(c) { k += 1 }
        if s.at(k) == ")" {
            return k > open + 1 ? k + 1 : nil
        }
        guard s.at(k) == "(" else { return nil }
        let innerStart = k + 1
        k = innerStart
        while let c = s.at(k), isPathCharacter(c) { k += 1 }
        guard k > innerStart, s.at(k) == ")" else { return nil }
        k += 1
        while let c = s.at(k), isPathCharacter(c) { k += 1 }
        guard s.at(k) == ")" else { return nil }
        return k + 1
    }

    func isQueryCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.isASCIIAlphanumeric { return true }
        switch c.value {
        case 0x21, 0x23...0x2F, 0x3A, 0x3B, 0x3D, 0x3F, 0x40, 0x5B, 0x5D, 0x5F, 0x7C, 0x7E:
            // ! #$%&'()*+,-./ : ; = ? @ [ ] _ | ~
            return true
        default:
            return false
        }
    }

    func isQueryEndingCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.isASCIIAlphanumeric { return true }
        switch c.value {
        case 0x2D, 0x5F, 0x26, 0x3D, 0x23, 0x2F: return true  // - _ & = # /
        default: return false
        }
    }

    /// The end of a query after its `?`, or nil when no character may end it.
    func queryEnd(from start: Int, limit: Int) -> Int? {
        let s = scalars
        var k = start
        var end: Int?
        while k < limit, isQueryCharacter(s[k]) {
            if isQueryEndingCharacter(s[k]) { end = k + 1 }
            k += 1
        }
        return end
    }
}
