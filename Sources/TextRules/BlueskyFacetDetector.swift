/// Finds Bluesky's facets the way its client library (`@atproto/api` `detectFacets`) does:
/// mentions, links and tags that start the text or follow whitespace (or `(`, for mentions and
/// links), with UTF-8 byte offsets.
struct BlueskyFacetDetector {
    static let maxTagGraphemes = 64

    let scalars: [Unicode.Scalar]
    /// UTF-8 offset of every scalar index, `count + 1` entries.
    let byteOffsets: [Int]

    init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
        var offsets = [Int]()
        offsets.reserveCapacity(scalars.count + 1)
        var total = 0
        for c in scalars {
            offsets.append(total)
            total += UTF8.width(c)
        }
        offsets.append(total)
        byteOffsets = offsets
    }

    struct Detected {
        var facet: BlueskyFacet
        var entity: TextEntity
    }

    func detect() -> [Detected] {
        (mentions() + links() + tags()).sorted { $0.entity.start < $1.entity.start }
    }

    private func detected(_ range: Range<Int>, _ kind: TextEntity.Kind, _ feature: BlueskyFacet.Feature) -> Detected {
        let slice = BlueskyFacet.ByteSlice(
            byteStart: byteOffsets[range.lowerBound], byteEnd: byteOffsets[range.upperBound])
        return Detected(
            facet: BlueskyFacet(index: slice, features: [feature]),
            entity: TextEntity(kind: kind, start: range.lowerBound, end: range.upperBound, text: scalars.string(range)))
    }

    /// Indices where a mention or link may start: the text's start, or after whitespace or `(`.
    private func starts(allowingParenthesis: Bool) -> [Int] {
        var result: [Int] = []
        for index in scalars.indices {
            if index == 0 {
                result.append(0)
            } else {
                let before = scalars[index - 1]
                if before.isJavaScriptWhitespace || (allowingParenthesis && before == "(") { result.append(index) }
            }
        }
        return result
    }

    /// Whether a match may start at `start` when the previous one ended at `resumeAt`: the
    /// character before it (whitespace or `(`) must not belong to the previous match.
    private func follows(_ resumeAt: Int, _ start: Int) -> Bool {
        start == 0 || start - 1 >= resumeAt
    }

    // MARK: - Mentions

    /// `@handle` where the handle is valid syntax ending in a known top-level domain (or `.test`).
    private func mentions() -> [Detected] {
        let s = scalars
        var result: [Detected] = []
        var resumeAt = 0
        for start in starts(allowingParenthesis: true) where follows(resumeAt, start) && s[start] == "@" {
            var k = start + 1
            while let c = s.at(k), c.isASCIIAlphanumeric || c == "." || c == "-" { k += 1 }
            // Back off to a word boundary, as the library's `\b` does (so a trailing `.` is left out).
            func isBoundary(_ end: Int) -> Bool {
                s[end - 1].isASCIIWordCharacter != (s.at(end)?.isASCIIWordCharacter ?? false)
            }
            while k > start + 1, !isBoundary(k) { k -= 1 }
            guard k > start + 1 else { continue }
            resumeAt = k
            let handle = s.string(start + 1..<k).lowercased()
            guard ATProtoSyntax.isValidHandle(handle) else { continue }
            let topLevel = handle[handle.index(after: handle.lastIndex(of: ".")!)...]
            guard topLevel == "test" || TopLevelDomains.contains(String(topLevel)) else { continue }
            result.append(detected(start..<k, .mention, .mention(handle: handle, did: nil)))
        }
        return result
    }

    // MARK: - Links

    /// `http(s)://` and anything up to whitespace, or a bare domain with a known top-level
    /// domain (linked as `https://…`); trailing `.,;:!?` and unbalanced `)` are left out.
    private func links() -> [Detected] {
        let s = scalars
        var result: [Detected] = []
        var resumeAt = 0
        var runEnd = -1  // starts after `(` share their run's end; scanning it once keeps this linear
        for start in starts(allowingParenthesis: true) where follows(resumeAt, start) {
            if start >= runEnd {
                runEnd = start
                while let c = s.at(runEnd), !c.isJavaScriptWhitespace { runEnd += 1 }
            }
            var end = runEnd
            guard end > start else { continue }
            let hasProtocol = hasHTTPProtocol(at: start, end: end)
            if !hasProtocol {
                guard let domainEnd = bareDomainEnd(from: start, limit: end) else { continue }
                let lastDot = (start..<domainEnd).last { s[$0] == "." }!
                guard TopLevelDomains.contains(s.string(lastDot + 1..<domainEnd).lowercased()) else {
                    resumeAt = end
                    continue
                }
            }
            resumeAt = end
            end = trimmedLinkEnd(start: start, end: end)
            guard end > start else { continue }
            let text = s.string(start..<end)
            result.append(detected(start..<end, .url, .link(uri: hasProtocol ? text : "https://" + text)))
        }
        return result
    }

    private func hasHTTPProtocol(at start: Int, end: Int) -> Bool {
        let s = scalars
        guard end - start > 7, s[start].asciiLowercased == 0x68, s[start + 1].asciiLowercased == 0x74,
            s[start + 2].asciiLowercased == 0x74, s[start + 3].asciiLowercased == 0x70
        else { return false }
        var k = start + 4
        if s[k].asciiLowercased == 0x73 { k += 1 }
        return k + 3 < end && s[k] == ":" && s[k + 1] == "/" && s[k + 2] == "/"
    }

    /// `[a-z][a-z0-9]*(\.[a-z0-9]+)+`, as long as it goes.
    private func bareDomainEnd(from start: Int, limit: Int) -> Int? {
        let s = scalars
        guard s[start].isASCIILetter else { return nil }
        var k = start + 1
        while k < limit, s[k].isASCIIAlphanumeric { k += 1 }
        var end: Int?
        while k + 1 < limit, s[k] == ".", s[k + 1].isASCIIAlphanumeric {
            k += 2
            while k < limit, s[k].isASCIIAlphanumeric { k += 1 }
            end = k
        }
        return end
    }

    /// Punctuation that ends a sentence is not part of the link, nor is a `)` without its `(`.
    private func trimmedLinkEnd(start: Int, end: Int) -> Int {
        let s = scalars
        var end = end
        var opening = 0
        var closing = 0
        for c in s[start..<end] {
            if c == "(" { opening += 1 } else if c == ")" { closing += 1 }
        }
        while end > start {
            let last = s[end - 1]
            if ".,;:!?".unicodeScalars.contains(last) {
                end -= 1
            } else if last == ")" && closing > opening {
                closing -= 1
                end -= 1
            } else {
                break
            }
        }
        return end
    }

    // MARK: - Tags

    /// Characters that end a tag: whitespace and invisible joiners and hyphens.
    private func endsTag(_ c: Unicode.Scalar) -> Bool {
        if c.isJavaScriptWhitespace { return true }
        switch c.value {
        case 0xAD, 0x2060, 0x200A, 0x200B, 0x200C, 0x200D, 0x20E2: return true
        default: return false
        }
    }

    /// `#tag` after whitespace: not only digits and punctuation, trailing punctuation dropped,
    /// at most 64 graphemes; stored without the `#`.
    private func tags() -> [Detected] {
        let s = scalars
        var result: [Detected] = []
        var resumeAt = 0
        for start in starts(allowingParenthesis: false) where follows(resumeAt, start) {
            guard s[start] == "#" || s[start].value == 0xFF03 else { continue }
            resumeAt = start + 1
            guard let first = s.at(start + 1), first.value != 0xFE0F else { continue }
            var end = start + 1
            var hasWordCharacter = false
            while let c = s.at(end), !endsTag(c) {
                if !hasWordCharacter && !c.isASCIIDigit && !c.isPunctuation { hasWordCharacter = true }
                end += 1
            }
            guard hasWordCharacter else { continue }
            resumeAt = end
            while end > start + 1, s[end - 1].isPunctuation { end -= 1 }
            let tag = s.string(start + 1..<end)
            guard !tag.isEmpty, tag.count <= Self.maxTagGraphemes else { continue }
            result.append(detected(start..<end, .hashtag, .tag(tag)))
        }
        return result
    }
}
