import Foundation
import TextRules

/// A post's words as an inbox shows them: its facets' links, mentions and tags as links
/// (a mention to the person's profile, a tag to its feed on bsky.app), every other character
/// escaped, in paragraphs (see `SafeHTML`).
///
/// Facets index the text's UTF-8 bytes, and anyone can write any numbers there. The facets are
/// used only when every one of them is in the text, starts before it ends, overlaps no other,
/// and starts and ends between two characters; otherwise the text is shown plain, which says
/// everything the author wrote without guessing which words a link was meant to cover.
public enum BlueskyRichText {
    public static func html(_ text: String, facets: [BlueskyFacet], hasUnreadableFacet: Bool = false) -> String {
        guard !facets.isEmpty, !hasUnreadableFacet, let runs = runs(of: text, facets: facets) else {
            return SafeHTML.paragraphs(text)
        }
        return paragraphs(runs)
    }

    /// A piece of the text, and the address it links to when a facet covers it.
    struct Run: Equatable {
        var text: String
        var href: String?
    }

    /// The text cut at its facets, or nil when one of them does not fit it.
    static func runs(of text: String, facets: [BlueskyFacet]) -> [Run]? {
        let utf8 = text.utf8
        let ordered = facets.sorted { ($0.index.byteStart, $0.index.byteEnd) < ($1.index.byteStart, $1.index.byteEnd) }
        var runs: [Run] = []
        var position = text.startIndex
        var lastEnd = 0
        for facet in ordered {
            let start = facet.index.byteStart, end = facet.index.byteEnd
            guard start >= lastEnd, start < end, end <= utf8.count else { return nil }
            // A `String.Index` made from a byte offset inside a character is no character
            // boundary: `String.Index(_:within:)` gives nil for it.
            guard let from = String.Index(utf8.index(utf8.startIndex, offsetBy: start), within: text),
                  let to = String.Index(utf8.index(utf8.startIndex, offsetBy: end), within: text) else { return nil }
            if position < from { runs.append(Run(text: String(text[position..<from]), href: nil)) }
            runs.append(Run(text: String(text[from..<to]), href: href(of: facet)))
            position = to
            lastEnd = end
        }
        if position < text.endIndex { runs.append(Run(text: String(text[position...]), href: nil)) }
        return runs
    }

    /// Where a facet's words lead: its first feature that Trestle can link.
    static func href(of facet: BlueskyFacet) -> String? {
        for feature in facet.features {
            switch feature {
            case let .link(uri):
                return uri
            case let .mention(_, did?) where ATProtoSyntax.isValidDID(did):
                return "https://bsky.app/profile/\(did)"
            case let .tag(tag):
                guard let encoded = tag.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) else { continue }
                return "https://bsky.app/hashtag/\(encoded)"
            default:
                continue
            }
        }
        return nil
    }

    /// The runs as `SafeHTML.paragraphs` makes plain text: a blank line between paragraphs,
    /// `<br>` for a single break, paragraphs of nothing but white space left out. A link's own
    /// words keep to one line.
    static func paragraphs(_ runs: [Run]) -> String {
        var html = ""
        var plain = "", line = ""
        var lines: [String] = []
        var pendingBreak = false
        func endLine() {
            lines.append(line)
            line = ""
        }
        func endParagraph() {
            endLine()
            if !plain.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                html += "<p>" + lines.joined(separator: "<br>") + "</p>"
            }
            lines = []
            plain = ""
        }
        for run in runs {
            if let href = run.href {
                if pendingBreak {
                    endLine()
                    pendingBreak = false
                }
                let words = run.text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                line += SafeHTML.link(href, text: words)
                plain += words
                continue
            }
            for character in run.text {
                // "\r\n" is one character in Swift, and one break in `SafeHTML.paragraphs`.
                if character == "\n" || character == "\r\n" {
                    if pendingBreak {
                        endParagraph()
                        pendingBreak = false
                    } else {
                        pendingBreak = true
                    }
                    continue
                }
                if pendingBreak {
                    endLine()
                    pendingBreak = false
                }
                line += SafeHTML.escape(String(character))
                plain.append(character)
            }
        }
        if pendingBreak { endLine() }
        endParagraph()
        return html
    }
}
