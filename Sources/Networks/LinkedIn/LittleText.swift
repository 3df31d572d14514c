/// LinkedIn's "little text", the format of a post's commentary: the characters it reserves for
/// mentions and hashtags (`| { } @ [ ] ( ) < > # \ * _ ~`) mean something unless escaped with a
/// backslash. Trestle sends what a person wrote, so every one is escaped.
enum LittleText {
    static let reserved: Set<Character> = ["|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "\\", "*", "_", "~"]

    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            if reserved.contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// The text as a person reads it: each escaping backslash taken out.
    static func unescaped(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if !escaping, character == "\\" {
                escaping = true
                continue
            }
            escaping = false
            result.append(character)
        }
        return result
    }
}
