/// A link, mention or hashtag found in a post's text.
///
/// `start` and `end` count Unicode scalars (code points) from the start of the text as given,
/// end exclusive — the unit twitter-text and the X API use for entity indices. `text` is the
/// matched text itself, including the leading `@` or `#`. Encodes as
/// `{"type", "start", "end", "text"}`.
public struct TextEntity: Sendable, Hashable, Codable {
    /// What kind of entity this is; encoded as `"type"`.
    public enum Kind: String, Sendable, Hashable, Codable {
        case url
        case mention
        case hashtag
    }

    public var kind: Kind
    public var start: Int
    public var end: Int
    public var text: String

    public init(kind: Kind, start: Int, end: Int, text: String) {
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
    }

    private enum CodingKeys: String, CodingKey {
        case kind = "type"
        case start
        case end
        case text
    }
}
