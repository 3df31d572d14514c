/// Why a text does not fit a network, so the composer can say what to change.
public enum TextProblem: String, Sendable, Hashable, Codable {
    /// Longer than the network's limit in its own unit.
    case tooLong
    /// More UTF-8 bytes than the network stores (Bluesky).
    case tooManyBytes
    /// More hashtags than the network allows (Instagram).
    case tooManyHashtags
    /// More mentions than the network allows (Instagram).
    case tooManyMentions
    /// More distinct links than the network allows (Threads).
    case tooManyLinks
    /// Contains characters the network refuses (X: U+FFFE, U+FEFF, U+FFFF).
    case invalidCharacters
}
