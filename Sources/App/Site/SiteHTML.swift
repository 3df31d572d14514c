import Foundation
import TextRules

/// A site entry's text as HTML, built from escaped pieces only: links (with a protocol) and
/// remote mentions (`@user@host` → `https://host/@user`) become links that pass no ranking and
/// open nothing with access to the page; hashtags are marked; blank lines make paragraphs and
/// single line breaks stay line breaks.
enum SiteHTML {
    static let linkRel = "nofollow ugc noopener"

    /// One part of an entry as `<p>` paragraphs.
    static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { "<p>\(inline($0))</p>" }
            .joined(separator: "\n")
    }

    /// One paragraph's text, escaped, with its links, mentions and tags marked.
    private static func inline(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var html = ""
        var copied = 0
        for entity in SiteTextRules().check(text).entities where entity.start >= copied && entity.end <= scalars.count {
            html += escapedText(scalars[copied..<entity.start])
            html += markup(entity)
            copied = entity.end
        }
        return html + escapedText(scalars[copied..<scalars.count])
    }

    /// An entry's parts, each in its own section when a thread has several.
    static func entry(_ parts: [String]) -> String {
        guard parts.count > 1 else { return parts.first.map(paragraphs) ?? "" }
        return parts.enumerated().map { index, part in
            "<div class=\"part\" id=\"part-\(index + 1)\">\(paragraphs(part))</div>"
        }.joined(separator: "\n")
    }

    private static func markup(_ entity: TextEntity) -> String {
        let text = escape(entity.text)
        switch entity.kind {
        case .url:
            return "<a href=\"\(escape(entity.text))\" rel=\"\(linkRel)\">\(text)</a>"
        case .mention:
            // `@user@host` names an account on another server; `@user` alone names no server.
            let pieces = entity.text.dropFirst().split(separator: "@", maxSplits: 1)
            guard pieces.count == 2 else { return text }
            let url = "https://\(pieces[1])/@\(pieces[0])"
            return "<a href=\"\(escape(url))\" rel=\"\(linkRel)\" class=\"mention\">\(text)</a>"
        case .hashtag:
            return "<span class=\"tag\">\(text)</span>"
        }
    }

    private static func escapedText(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var string = ""
        string.unicodeScalars.append(contentsOf: scalars)
        return escape(string).replacingOccurrences(of: "\n", with: "<br>\n")
    }

    /// Text made safe to place in HTML or XML.
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// A short plain title for an entry: its first line, cut at a word near 80 characters.
    static func title(_ parts: [String]) -> String {
        let first = (parts.first ?? "").split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard first.count > 80 else { return first }
        let cut = first.prefix(80)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atWord.trimmingCharacters(in: .whitespaces) + "…"
    }

    /// The entry as plain text, its parts separated by blank lines.
    static func plainText(_ parts: [String]) -> String {
        parts.joined(separator: "\n\n")
    }
}
