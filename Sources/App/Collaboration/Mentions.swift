import Foundation

/// `@name` in a comment: a member of the workspace by their whole email (`@ana@bakery.example`)
/// or, when no other member shares it, by the part before the `@` (`@ana`).
enum Mentions {
    /// The members a text mentions, by id; `members` are the workspace's, by id and email.
    static func members(in text: String, among members: [(id: UUID, email: String)]) -> Set<UUID> {
        var found: Set<UUID> = []
        let byEmail = Dictionary(members.map { ($0.email.lowercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
        let byName = Dictionary(grouping: members) { $0.email.lowercased().split(separator: "@").first.map(String.init) ?? "" }
        for word in words(in: text) {
            if let id = byEmail[word] {
                found.insert(id)
            } else if let named = byName[word], named.count == 1 {
                found.insert(named[0].id)
            }
        }
        return found
    }

    /// What follows each `@` that starts a word, lowercased, without trailing punctuation.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var previous: Character = " "
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "@", !(previous.isLetter || previous.isNumber) {
                var end = text.index(after: index)
                while end < text.endIndex, isMentionCharacter(text[end]) { end = text.index(after: end) }
                var word = String(text[text.index(after: index)..<end]).lowercased()
                while let last = word.last, ".-_".contains(last) { word.removeLast() }
                if !word.isEmpty, word.count <= 254 { words.append(word) }
                index = end
                previous = "x"
                continue
            }
            previous = character
            index = text.index(after: index)
        }
        return words
    }

    private static func isMentionCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "._%+-@".contains(character))
    }
}
