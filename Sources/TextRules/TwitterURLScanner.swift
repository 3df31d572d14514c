/// Finds links the way twitter-text's `extractURLsWithIndices` does, as a hand-written scanner
/// over Unicode scalars instead of twitter-text's regular expression.
///
/// The grammar: a preceding character that is not a letter, digit, `@`, `$` or `#`; an optional
/// `http://` or `https://`; a domain ending in a known top-level domain (ASCII labels anywhere,
/// one non-ASCII label only after a protocol); an optional port, path (with balanced
/// parentheses, not ending in punctuation) and query. Where the regex would backtrack, the
/// scanner tries the same alternatives in the same order, so it finds the same matches.
struct TwitterURLScanner {
    struct Match {
        var range: Range<Int>
        var hasProtocol: Bool
    }

    private struct Candidate {
        var start: Int
        var end: Int
        var domain: Range<Int>
        var hasProtocol: Bool
    }

    static let maxURLLength = 4096
    static let maxTcoSlugLength = 40

    let scalars: [Unicode.Scalar]
    let includesURLsWithoutProtocol: Bool

    /// Answers that later start positions would otherwise recompute, keeping the scan linear on
    /// texts like `a.a.a.a…` where every position starts a candidate.
    private var domainEnds: [Int: Int] = [:]  // label start → domain end, -1 for none
    private var topLevelDomainEnds: [Int: Int] = [:]  // position → end, -1 for none
    private var labelRun = (start: -1, end: -1, lastUnderscore: -1)

    init(scalars: [Unicode.Scalar], includesURLsWithoutProtocol: Bool) {
        self.scalars = scalars
        self.includesURLsWithoutProtocol = includesURLsWithoutProtocol
    }

    func matches() -> [Match] {
        var scanner = self
        return scanner.scan()
    }

    private mutating func scan() -> [Match] {
        let s = scalars
        let n = s.count
        // Without a dot (or a colon, when a protocol is required) no link can be present.
        let marker: UInt32 = includesURLsWithoutProtocol ? 0x2E : 0x3A
        guard s.contains(where: { $0.value == marker }) else { return [] }

        var result: [Match] = []
        var position = 0
        while position < n {
            var found: Candidate?
            var preceding: Unicode.Scalar?
            if isValidPreceding(s[position]), let candidate = candidate(at: position + 1) {
                found = candidate
                preceding = s[position]
            } else if position == 0, let candidate = candidate(at: 0) {
                found = candidate
            }
            guard let candidate = found else {
                position += 1
                continue
            }
            // Like a regex `find`, the next search starts where this match ended, kept or not.
            position = candidate.end
            if let match = accept(candidate, preceding: preceding) {
                result.append(match)
            }
        }
        return result
    }

    // MARK: - Preceding character and protocol

    private func isValidPreceding(_ c: Unicode.Scalar) -> Bool {
        if c.isASCIIAlphanumeric || c.isTwitterInvalidCharacter { return false }
        switch c.value {
        case 0x40, 0xFF20, 0x24, 0x23, 0xFF03: return false  // @ ＠ $ # ＃
        default: return true
        }
    }

    /// The index after `http://` or `https://` (any case) at `index`, if one starts there.
    private func protocolEnd(at index: Int) -> Int? {
        let s = scalars
        guard index + 7 <= s.count,
            s[index].asciiLowercased == 0x68, s[index + 1].asciiLowercased == 0x74,
            s[index + 2].asciiLowercased == 0x74, s[index + 3].asciiLowercased == 0x70
        else { return nil }
        var k = index + 4
        if s[k].asciiLowercased == 0x73 { k += 1 }
        guard k + 3 <= s.count, s[k] == ":", s[k + 1] == "/", s[k + 2] == "/" else { return nil }
        return k + 3
    }

    private func hasProtocolBefore(_ index: Int) -> Bool {
        (index >= 7 && protocolEnd(at: index - 7) == index) || (index >= 8 && protocolEnd(at: index - 8) == index)
    }

    // MARK: - Candidate

    private mutating func candidate(at start: Int) -> Candidate? {
        let s = scalars
        guard start < s.count else { return nil }
        var domainStart = start
        var domainEnd: Int?
        var hasProtocol = false
        if let afterProtocol = protocolEnd(at: start), let end = domain(at: afterProtocol) {
            domainStart = afterProtocol
            domainEnd = end
            hasProtocol = true
        } else {
            domainEnd = domain(at: start)
        }
        guard var end = domainEnd else { return nil }
        let domainRange = domainStart..<end

        if s.at(end) == ":", let digit = s.at(end + 1), digit.isASCIIDigit {
            end += 2
            while let c = s.at(end), c.isASCIIDigit { end += 1 }
        }
        if s.at(end) == "/" {
            end = pathEnd(from: end + 1)
        }
        if s.at(end) == "?", let queryEnd = queryEnd(from: end + 1, limit: s.count) {
            end = queryEnd
        }
        return Candidate(start: start, end: end, domain: domainRange, hasProtocol: hasProtocol)
    }

    /// twitter-text's post-checks on a grammatical match: no bare domain after `-_./`, t.co
    /// slugs at most 40 characters, hosts valid under IDNA, URLs at most 4096 characters.
    private func accept(_ candidate: Candidate, preceding: Unicode.Scalar?) -> Match? {
        if !candidate.hasProtocol {
            guard includesURLsWithoutProtocol else { return nil }
            if let preceding, "-_./".unicodeScalars.contains(preceding) { return nil }
        }
        var end = candidate.end
        if candidate.hasProtocol, let tco = tcoLink(candidate) {
            guard tco.slugLength <= Self.maxTcoSlugLength else { return nil }
            end = tco.end
        }
        guard let hostLength = InternationalDomainName.asciiLength(of: scalars, candidate.domain) else {
            return nil
        }
        let urlLength = scalars.utf16Count(candidate.start..<end)
        let hostUTF16 = scalars.utf16Count(candidate.domain)
        let protocolAllowance = candidate.hasProtocol ? 0 : 8  // room for "https://"
        guard urlLength + hostLength - hostUTF16 + protocolAllowance <= Self.maxURLLength else { return nil }
        return Match(range: candidate.start..<end, hasProtocol: candidate.hasProtocol)
    }

    /// For `http(s)://t.co/slug…`: how long the slug is and where the link really ends, since a
    /// t.co link takes no path after its slug.
    private func tcoLink(_ candidate: Candidate) -> (slugLength: Int, end: Int)? {
        let s = scalars
        let d = candidate.domain
        guard d.count == 4, s[d.lowerBound].asciiLowercased == 0x74, s[d.lowerBound + 1] == ".",
            s[d.lowerBound + 2].asciiLowercased == 0x63, s[d.lowerBound + 3].asciiLowercased == 0x6F,
            s.at(d.upperBound) == "/"
        else { return nil }
        let slugStart = d.upperBound + 1
        var k = slugStart
        while k < candidate.end, s[k].isASCIIAlphanumeric { k += 1 }
        guard k > slugStart else { return nil }
        var end = k
        if k < candidate.end, s[k] == "?", let queryEnd = queryEnd(from: k + 1, limit: candidate.end) {
            end = queryEnd
        }
        return (k - slugStart, end)
    }

    // MARK: - Domain

    /// Letters and digits of ASCII domains: ASCII alphanumerics and accented Latin letters.
    @inline(__always) private func isDomainCharacter(_ c: Unicode.Scalar) -> Bool {
        c.isASCIIAlphanumeric || (c.value >= 0xC0 && c.isLatinAccent)
    }

    /// The end of a domain starting at `start`: the most subdomains the text allows, then a
    /// domain label and a top-level domain; failing that, one non-ASCII label after a protocol.
    private mutating func domain(at start: Int) -> Int? {
        guard let first = scalars.at(start) else { return nil }
        if isDomainCharacter(first), let end = asciiDomainEnd(from: start) {
            return end
        }
        if hasProtocolBefore(start), let dot = unicodeLabelDot(from: start) {
            return topLevelDomainEnd(at: dot + 1, allowsPunycode: false)
        }
        return nil
    }

    /// For the chain of ASCII labels starting at `start`, the end of the domain whose domain
    /// label is deepest in the chain (the regex's greedy subdomains), memoised per label start:
    /// the chain from a later label is a suffix of this one.
    private mutating func asciiDomainEnd(from start: Int) -> Int? {
        var chain: [(start: Int, dot: Int, hasUnderscore: Bool)] = []
        var best: Int?
        var j = start
        while true {
            if let known = domainEnds[j] {
                best = known < 0 ? nil : known
                break
            }
            guard let label = asciiLabel(from: j) else {
                domainEnds[j] = -1
                break
            }
            chain.append((j, label.dot, label.hasUnderscore))
            j = label.dot + 1
        }
        for link in chain.reversed() {
            // A domain label takes no underscore; subdomains may.
            if best == nil, !link.hasUnderscore {
                best = memoisedTopLevelDomainEnd(at: link.dot + 1)
            }
            domainEnds[link.start] = best ?? -1
        }
        return best
    }

    private mutating func memoisedTopLevelDomainEnd(at start: Int) -> Int? {
        if let known = topLevelDomainEnds[start] { return known < 0 ? nil : known }
        let end = topLevelDomainEnd(at: start, allowsPunycode: true)
        topLevelDomainEnds[start] = end ?? -1
        return end
    }

    /// An ASCII label (letters, digits, `-` and `_` inside) followed by a dot. Remembers the run
    /// it scanned, since the next start positions usually fall inside it.
    private mutating func asciiLabel(from start: Int) -> (dot: Int, hasUnderscore: Bool)? {
        let s = scalars
        guard let first = s.at(start), isDomainCharacter(first) else { return nil }
        if !(start > labelRun.start && start < labelRun.end) {
            var k = start + 1
            var lastUnderscore = -1
            while k < s.count {
                let c = s[k]
                if isDomainCharacter(c) || c == "-" {
                    k += 1
                } else if c == "_" {
                    lastUnderscore = k
                    k += 1
                } else {
                    break
                }
            }
            labelRun = (start, k, lastUnderscore)
        }
        let k = labelRun.end
        guard s.at(k) == ".", isDomainCharacter(s[k - 1]) else { return nil }
        return (k, labelRun.lastUnderscore >= start)
    }

    /// Any character but punctuation and spaces may stand in a non-ASCII domain label.
    private func isUnicodeDomainCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.isASCIIAlphanumeric }
        if c.value >= 0x2000 && c.value <= 0x206F { return false }
        switch c.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
    }

    private func unicodeLabelDot(from start: Int) -> Int? {
        let s = scalars
        guard let first = s.at(start), isUnicodeDomainCharacter(first) else { return nil }
        var k = start + 1
        while k < s.count, isUnicodeDomainCharacter(s[k]) || s[k] == "-" { k += 1 }
        guard s.at(k) == ".", isUnicodeDomainCharacter(s[k - 1]) else { return nil }
        return k
    }

    /// The end of a known top-level domain at `start` that is not followed by a letter, digit,
    /// `@`, `+` or `-`; or of a punycode label (`xn--…`) where `allowsPunycode`.
    private func topLevelDomainEnd(at start: Int, allowsPunycode: Bool) -> Int? {
        let s = scalars
        guard let first = s.at(start) else { return nil }
        if first.isASCIIAlphanumeric {
            var k = start + 1
            // Longer runs cannot be a top-level domain; stopping keeps long words cheap.
            while k - start <= TopLevelDomains.maxASCIILength, let c = s.at(k), c.isASCIIAlphanumeric { k += 1 }
            if isTopLevelDomainBoundary(k), let key = TopLevelDomains.key(s, start..<k),
                TopLevelDomains.ascii.contains(key)
            {
                return k
            }
        } else if first.value >= 0x80 {
            var length = min(TopLevelDomains.maxNonASCIILength, s.count - start)
            while length > 0 {
                if isTopLevelDomainBoundary(start + length),
                    TopLevelDomains.nonASCII.contains(s.string(start..<start + length))
                {
                    return start + length
                }
                length -= 1
            }
        }
        if allowsPunycode, start + 4 < s.count, s[start].asciiLowercased == 0x78,
            s[start + 1].asciiLowercased == 0x6E, s[start + 2] == "-", s[start + 3] == "-"
        {
            var k = start + 4
            while let c = s.at(k), c.isASCIIAlphanumeric || c == "-" { k += 1 }
            if k > start + 4 { return k }
        }
        return nil
    }

    private func isTopLevelDomainBoundary(_ index: Int) -> Bool {
        guard let c = scalars.at(index) else { return true }
        return !(c.isASCIIAlphanumeric || c == "@" || c == "+" || c == "-")
    }
}
