/// LinkedIn's rules: a post's commentary holds 3,000 characters, counted as UTF-16 code units
/// (LinkedIn's services are Java; an emoji may take two) so a text that passes here is never
/// refused for length. Links and hashtags are found with twitter-text's rules.
///
/// Commentary is in LinkedIn's "little text" format, where some characters are markup; send
/// `escapedCommentary(_:)` of the text, never the text itself.
public struct LinkedInTextRules: NetworkTextRules {
    public var limit: Int

    public init(limit: Int = 3000) {
        self.limit = limit
    }

    public var network: Network { .linkedin }

    public func check(_ text: String) -> TextCheck {
        var prepared = PreparedText(text)
        return check(&prepared)
    }

    /// `check(_:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText) -> TextCheck {
        CodeUnitCounting.check(&prepared, network: .linkedin, limit: limit)
    }

    /// The characters little text reserves for its elements (mentions `@[Name](urn)`,
    /// templates `{hashtag|\#|tag}` …). LinkedIn's Posts API documentation requires each to be
    /// escaped with a backslash to stand as plain text; unescaped, LinkedIn silently cuts the
    /// post at the first one.
    public static let reservedCharacters: Set<Character> = [
        "|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "\\", "*", "_", "~",
    ]

    /// `text` with every little-text reserved character backslash-escaped, for the `commentary`
    /// field of `POST /rest/posts`.
    public static func escapedCommentary(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text {
            if reservedCharacters.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
