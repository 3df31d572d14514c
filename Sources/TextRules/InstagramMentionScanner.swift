/// Finds `@username` mentions as Instagram and Threads write them: 1–30 letters, digits,
/// underscores and periods, not ending in a period, not glued to a preceding word.
struct InstagramMentionScanner {
    static let maxUsernameLength = 30

    let scalars: [Unicode.Scalar]

    /// Ranges from the `@` to the end of the username.
    func matches() -> [Range<Int>] {
        let s = scalars
        var result: [Range<Int>] = []
        var position = 0
        while position < s.count {
            defer { position += 1 }
            guard s[position] == "@" else { continue }
            if let before = s.at(position - 1), before.isUnicodeWordCharacter || before == "." || before == "@" {
                continue
            }
            var end = position + 1
            while end - position - 1 < Self.maxUsernameLength, let c = s.at(end), c.isASCIIWordCharacter || c == "." {
                end += 1
            }
            while end > position + 1, s[end - 1] == "." { end -= 1 }
            guard end > position + 1 else { continue }
            result.append(position..<end)
            position = end - 1
        }
        return result
    }
}
