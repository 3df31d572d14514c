import Foundation

/// What an inbox shows of a message: HTML made of `p`, `br` and `a` elements only, every
/// link an http(s) address opened with `rel="nofollow noopener noreferrer"`, every other
/// character escaped — so text from anyone on any server can be put in Trestle's pages.
public enum SafeHTML {
    /// `&`, `<`, `>`, `"` and `'` as entities. Read scalar by scalar, as a browser reads
    /// markup: a `"` followed by a combining mark is one `Character` to Swift but still ends an
    /// attribute to a browser.
    public static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// A link to `href` reading `text`; only the text, escaped, when `href` is not an http(s)
    /// address.
    public static func link(_ href: String, text: String) -> String {
        guard let url = URL(string: href), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil,
              href.utf8.count <= 2_048 else {
            return escape(text)
        }
        return #"<a href="\#(escape(href))" rel="nofollow noopener noreferrer" target="_blank">\#(escape(text))</a>"#
    }

    /// Plain text as paragraphs: a blank line between paragraphs, `<br>` for a single break.
    public static func paragraphs(_ text: String) -> String {
        paragraphs(of: text) { escape($0) }
    }

    /// Plain text as paragraphs whose lines are made by `line` (which escapes and links).
    public static func paragraphs(of text: String, line: (String) -> String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n")
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            .map { "<p>" + $0.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }.joined(separator: "<br>") + "</p>" }
            .joined()
    }
}
