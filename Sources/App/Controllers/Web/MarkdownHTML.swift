import Foundation

/// The project's own Markdown (the README) as HTML, so the guide an operator follows is served
/// by Trestle itself and a page can link to one of its sections. It covers what the README
/// uses: headings with GitHub's anchors, paragraphs, lists, tables, quotes, fenced code, and
/// inline code, emphasis and links. Every piece of text is escaped.
enum MarkdownHTML {
    static func html(_ markdown: String) -> String {
        var output = ""
        var paragraph: [String] = []
        var list: (ordered: Bool, start: Int, items: [String])?
        var indented: [String] = []
        var blankBefore = true
        var table: [[String]] = []
        var code: [String]?

        func flushParagraph() {
            if !paragraph.isEmpty { output += "<p>\(inline(paragraph.joined(separator: " ")))</p>\n" }
            paragraph = []
        }
        func flushList() {
            if let current = list {
                let tag = current.ordered ? "ol" : "ul"
                let start = current.ordered && current.start != 1 ? " start=\"\(current.start)\"" : ""
                output += "<\(tag)\(start)>" + current.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>\n"
            }
            list = nil
        }
        func flushIndented() {
            if !indented.isEmpty {
                output += "<pre><code>\(HTMLText.escape(indented.joined(separator: "\n")))</code></pre>\n"
            }
            indented = []
        }
        func flushTable() {
            guard let header = table.first else { return }
            output += "<table><thead><tr>" + header.map { "<th>\(inline($0))</th>" }.joined() + "</tr></thead><tbody>"
            for row in table.dropFirst() { output += "<tr>" + row.map { "<td>\(inline($0))</td>" }.joined() + "</tr>" }
            output += "</tbody></table>\n"
            table = []
        }
        func flushAll() { flushParagraph(); flushList(); flushTable(); flushIndented() }

        for rawLine in markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if code != nil {
                if trimmed.hasPrefix("```") {
                    output += "<pre><code>\(HTMLText.escape(code!.joined(separator: "\n")))</code></pre>\n"
                    code = nil
                } else {
                    code!.append(line)
                }
                continue
            }
            if trimmed.hasPrefix("```") { flushAll(); code = []; continue }
            // A block indented by four spaces after a blank line (or going on one) is code.
            if line.hasPrefix("    "), blankBefore || !indented.isEmpty {
                flushParagraph(); flushList(); flushTable()
                indented.append(trimmed)
                blankBefore = false
                continue
            }
            if trimmed.isEmpty { flushAll(); blankBefore = true; continue }
            blankBefore = false
            flushIndented()
            if let level = headingLevel(trimmed) {
                flushAll()
                let text = trimmed.dropFirst(level).trimmingCharacters(in: .whitespaces)
                output += "<h\(level) id=\"\(HTMLText.escape(anchor(text)))\">\(inline(text))</h\(level)>\n"
                continue
            }
            if trimmed.hasPrefix("|") {
                flushParagraph(); flushList()
                let cells = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "|")).split(separator: "|", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                // The row under the header only says how to align.
                if !cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { table.append(cells) }
                continue
            }
            if let item = listItem(trimmed) {
                flushParagraph(); flushTable()
                if list?.ordered != item.ordered { flushList(); list = (item.ordered, item.number, []) }
                list!.items.append(item.text)
                continue
            }
            if var current = list, line.hasPrefix("  ") {
                // A list item going on over the next line.
                current.items[current.items.count - 1] += " " + trimmed
                list = current
                continue
            }
            if trimmed.hasPrefix(">") {
                flushAll()
                output += "<blockquote><p>\(inline(trimmed.dropFirst().trimmingCharacters(in: .whitespaces)))</p></blockquote>\n"
                continue
            }
            flushList(); flushTable()
            paragraph.append(trimmed)
        }
        if let code { output += "<pre><code>\(HTMLText.escape(code.joined(separator: "\n")))</code></pre>\n" }
        flushAll()
        return output
    }

    /// GitHub's anchor for a heading: lower case, punctuation left out, spaces as hyphens.
    static func anchor(_ heading: String) -> String {
        let plain = heading.replacingOccurrences(of: "`", with: "").lowercased()
        return String(plain.unicodeScalars.compactMap { scalar -> Character? in
            if scalar == " " { return "-" }
            if scalar == "-" || scalar == "_" || CharacterSet.alphanumerics.contains(scalar) { return Character(scalar) }
            return nil
        })
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    private static func listItem(_ line: String) -> (ordered: Bool, number: Int, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return (false, 1, String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3, line.dropFirst(digits.count).hasPrefix(". ") {
            return (true, Int(digits) ?? 1, String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// Code spans, strong emphasis and links (an image as a link to it); the rest escaped.
    static func inline(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let index = rest.firstIndex(where: { $0 == "`" || $0 == "*" || $0 == "[" || $0 == "!" }) {
            output += HTMLText.escape(String(rest[..<index]))
            rest = rest[index...]
            if rest.hasPrefix("`"), let end = rest.dropFirst().firstIndex(of: "`") {
                output += "<code>\(HTMLText.escape(String(rest[rest.index(after: rest.startIndex)..<end])))</code>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                output += "<strong>\(inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])))</strong>"
                rest = rest[end.upperBound...]
            } else if let link = self.link(rest) {
                output += link.html
                rest = link.rest
            } else {
                output += HTMLText.escape(String(rest.prefix(1)))
                rest = rest.dropFirst()
            }
        }
        return output + HTMLText.escape(String(rest))
    }

    /// `[text](href)` or `![alt](src)`; only web addresses, paths and anchors are linked.
    private static func link(_ text: Substring) -> (html: String, rest: Substring)? {
        let isImage = text.hasPrefix("![")
        let start = isImage ? text.dropFirst(2) : text.hasPrefix("[") ? text.dropFirst() : nil
        guard let start, let close = start.firstIndex(of: "]"), start[close...].hasPrefix("]("),
              let end = start[close...].firstIndex(of: ")") else { return nil }
        let label = String(start[..<close])
        let href = String(start[start.index(close, offsetBy: 2)..<end])
        let safe = href.hasPrefix("https://") || href.hasPrefix("http://") || href.hasPrefix("#") || href.hasPrefix("/")
        let shown = isImage ? HTMLText.escape(label) : inline(label)
        let html = safe ? "<a href=\"\(HTMLText.escape(href))\">\(shown)</a>" : shown
        return (html, start[start.index(after: end)...])
    }
}
