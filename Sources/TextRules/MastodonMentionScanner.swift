/// Finds mentions the way Mastodon does (`Account::MENTION_RE`): `@user` or `@user@domain`,
/// where a username is letters, digits and `_`, with single runs of `.` or `-` inside.
struct MastodonMentionScanner {
    struct Match {
        /// The whole mention, `@user@domain` included.
        var range: Range<Int>
        /// Where `@user` ends: a remote mention counts only this far.
        var localPartEnd: Int
    }

    /// Mastodon ignores mentions whose domain could not be a domain name.
    static let maxDomainLength = 253

    let scalars: [Unicode.Scalar]

    func matches() -> [Match] {
        let s = scalars
        var result: [Match] = []
        var position = 0
        while position < s.count {
            guard s[position] == "@" else {
                position += 1
                continue
            }
            let at = position
            // Not right after `=`, `/` or a word character (an email address, a URL path).
            if at > 0, s[at - 1] == "=" || s[at - 1] == "/" || s[at - 1].isUnicodeWordCharacter {
                position += 1
                continue
            }
            guard let usernameEnd = dottedRunEnd(from: at + 1, isPart: \.isASCIIWordCharacter) else {
                position += 1
                continue
            }
            var end = usernameEnd
            if s.at(usernameEnd) == "@", let domainEnd = domainEnd(from: usernameEnd + 1) {
                end = domainEnd
            }
            position = end
            let domainLength = end == usernameEnd ? 0 : end - usernameEnd - 1
            if !endsBadly(at: end), domainLength <= Self.maxDomainLength {
                result.append(Match(range: at..<end, localPartEnd: usernameEnd))
            }
        }
        return result
    }

    /// `part+([.-]+part+)*`: runs joined by dots or dashes, never ending in one.
    private func dottedRunEnd(from start: Int, isPart: (Unicode.Scalar) -> Bool) -> Int? {
        let s = scalars
        var k = start
        while let c = s.at(k), isPart(c) { k += 1 }
        guard k > start else { return nil }
        var end = k
        while true {
            var separatorEnd = end
            while let c = s.at(separatorEnd), c == "." || c == "-" { separatorEnd += 1 }
            guard separatorEnd > end else { break }
            var partEnd = separatorEnd
            while let c = s.at(partEnd), isPart(c) { partEnd += 1 }
            guard partEnd > separatorEnd else { break }
            end = partEnd
        }
        return end
    }

    /// `[[:word:].-]+[[:word:]]+`: the longest run of word characters, dots and dashes that
    /// ends in a word character, at least two characters long.
    private func domainEnd(from start: Int) -> Int? {
        let s = scalars
        var k = start
        while let c = s.at(k), c.isUnicodeWordCharacter || c == "." || c == "-" { k += 1 }
        while k > start, !s[k - 1].isUnicodeWordCharacter { k -= 1 }
        return k - start >= 2 ? k : nil
    }

    /// As in twitter-text: a mention running into an at sign, an accented letter or `://` is not one.
    private func endsBadly(at end: Int) -> Bool {
        let s = scalars
        guard let next = s.at(end) else { return false }
        if next == "@" || next.value == 0xFF20 || next.isLatinAccent { return true }
        return next == ":" && s.at(end + 1) == "/" && s.at(end + 2) == "/"
    }
}
