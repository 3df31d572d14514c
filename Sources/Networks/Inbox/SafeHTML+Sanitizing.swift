import Foundation

/// Making a status's HTML, as a server sends it, into `SafeHTML`: paragraphs, line breaks and
/// http(s) links are kept and rebuilt by `SafeHTML` itself, every other tag is dropped with its
/// text kept, and script and style contents are dropped whole.
extension SafeHTML {
    /// How much of a message's HTML is read, in UTF-8 bytes; the rest is dropped. Mastodon
    /// allows 500 characters by default, and servers that allow more stay far below this.
    public static let longestInput = 100_000

    /// `html` as `SafeHTML`: only `<p>`, `<br>` and `<a href="http(s)…">` come out; the text of
    /// any other element stays readable (Mastodon hides parts of long links in
    /// `<span class="invisible">`: the link reads whole), and entities are decoded, then the
    /// text is escaped again, so no markup slips through as text.
    public static func sanitize(_ html: String) -> String {
        var reader = MarkupReader(Array(html.utf8.prefix(longestInput)))
        var writer = SafeHTMLWriter()
        while let token = reader.next() {
            switch token {
            case let .text(bytes):
                writer.text(decodingEntities(bytes))
            case let .start(name, href):
                writer.start(name, href: href.map(decodingEntities))
            case let .end(name):
                writer.end(name)
            }
        }
        return writer.finished()
    }

    /// Text with HTML's character references decoded: the common named ones, and numeric ones
    /// that name a character (others read as U+FFFD). An unknown name stays as written.
    static func decodingEntities<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8, Bytes.Index == Int {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&"), let (scalar, length) = reference(in: bytes, at: index) else {
                // A NUL is never text a person wrote.
                if byte == 0 { decoded += Array("\u{FFFD}".utf8) } else { decoded.append(byte) }
                index += 1
                continue
            }
            decoded += Array(String(Character(scalar)).utf8)
            index += length
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// The character a reference starting at `start` (an `&`) names, and how many bytes it
    /// takes; nil when it is no reference Trestle knows.
    private static func reference<Bytes: Collection>(in bytes: Bytes, at start: Int) -> (Unicode.Scalar, Int)? where Bytes.Element == UInt8, Bytes.Index == Int {
        var index = start + 1
        guard index < bytes.endIndex else { return nil }
        if bytes[index] == UInt8(ascii: "#") {
            index += 1
            let hex = index < bytes.endIndex && (bytes[index] | 0x20) == UInt8(ascii: "x")
            if hex { index += 1 }
            var value: UInt32 = 0
            var digits = 0
            while index < bytes.endIndex, let digit = digitValue(bytes[index], hex: hex) {
                // More digits than any scalar needs: the value is out of range whatever follows.
                if digits < 8 { value = value &* (hex ? 16 : 10) &+ digit }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: ";") { index += 1 }
            let scalar = digits <= 7 && value != 0 ? Unicode.Scalar(value) ?? "\u{FFFD}" : "\u{FFFD}"
            return (scalar, index - start)
        }
        var name = ""
        while index < bytes.endIndex, name.utf8.count < 10, isASCIIAlphanumeric(bytes[index]) {
            name.append(Character(Unicode.Scalar(bytes[index])))
            index += 1
        }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ";"), let scalar = namedReferences[name] else { return nil }
        return (scalar, index + 1 - start)
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The named references servers put in status HTML; Mastodon itself writes only the first five.
    private static let namedReferences: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "hellip": "…", "mdash": "—", "ndash": "–",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "middot": "·", "bull": "•",
        "copy": "©", "reg": "®", "trade": "™", "euro": "€", "shy": "\u{AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
    ]
}

/// A tag soup reader in the manner of a browser's tokenizer, reduced to what sanitizing needs:
/// text, start tags (with an `href` when they have one) and end tags. Comments, doctypes and
/// the contents of script-like elements are skipped; a tag left open at the end is dropped.
private struct MarkupReader {
    enum Token {
        case text(ArraySlice<UInt8>)
        case start(String, href: ArraySlice<UInt8>?)
        case end(String)
    }

    /// Elements whose contents are code or hidden, never text to show.
    private static let skippedContents: Set<String> = ["script", "style", "iframe", "noscript", "noembed", "noframes", "xmp", "template", "object", "svg", "math"]

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> Token? {
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                let start = index
                index = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
                return .text(bytes[start..<index])
            }
            let afterOpen = index + 1
            guard afterOpen < bytes.count else {
                index = bytes.count
                return .text(bytes[(afterOpen - 1)...])
            }
            switch bytes[afterOpen] {
            case UInt8(ascii: "!"), UInt8(ascii: "?"):
                skipComment()
            case UInt8(ascii: "/") where afterOpen + 1 < bytes.count && isLetter(bytes[afterOpen + 1]):
                index = afterOpen + 1
                let name = readName()
                // An end tag's attributes mean nothing; a tag with no `>` is dropped with the rest.
                index = (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? (bytes.count - 1)) + 1
                return .end(name)
            case UInt8(ascii: "/"):
                skipComment()
            case let byte where isLetter(byte):
                index = afterOpen
                guard let (name, href) = readStartTag() else {
                    index = bytes.count
                    return nil
                }
                if Self.skippedContents.contains(name) { skipContents(of: name) }
                return .start(name, href: href)
            default:
                // `a < b`: a `<` that opens no tag is text.
                index = afterOpen
                return .text(bytes[(afterOpen - 1)..<afterOpen])
            }
        }
        return nil
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    /// `<!-- … -->` to its end; `<!DOCTYPE …>`, `<?…>`, `</ …>` to the next `>`.
    private mutating func skipComment() {
        if bytes[index...].starts(with: Array("<!--".utf8)) {
            index = end(of: Array("-->".utf8), from: index + 4) ?? bytes.count
        } else {
            index = (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? (bytes.count - 1)) + 1
        }
    }

    /// Where `needle` ends, searching from `from`; nil when it does not occur.
    private func end(of needle: [UInt8], from: Int) -> Int? {
        guard from <= bytes.count - needle.count else { return nil }
        var at = from
        while at <= bytes.count - needle.count {
            if bytes[at] == needle[0], bytes[at..<(at + needle.count)].elementsEqual(needle) { return at + needle.count }
            at += 1
        }
        return nil
    }

    /// A tag name, lower-cased: letters, digits and the odd `-`, up to a space, `/` or `>`.
    private mutating func readName() -> String {
        let start = index
        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: ">") { index += 1 }
        return String(decoding: bytes[start..<min(index, start + 32)], as: UTF8.self).lowercased()
    }

    /// The rest of a start tag after `<`: its name and its first `href`'s raw value; nil when
    /// the tag never closes.
    private mutating func readStartTag() -> (String, ArraySlice<UInt8>?)? {
        let name = readName()
        var href: ArraySlice<UInt8>?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") {
                index += 1
                return (name, href)
            }
            if isSpace(byte) || byte == UInt8(ascii: "/") {
                index += 1
                continue
            }
            let nameStart = index
            index += 1
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "=") {
                index += 1
            }
            let attribute = String(decoding: bytes[nameStart..<min(index, nameStart + 16)], as: UTF8.self).lowercased()
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { return nil }
            let value: ArraySlice<UInt8>
            if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                let quote = bytes[index]
                guard let close = bytes[(index + 1)...].firstIndex(of: quote) else { return nil }
                value = bytes[(index + 1)..<close]
                index = close + 1
            } else {
                let start = index
                while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                value = bytes[start..<index]
            }
            if attribute == "href", href == nil { href = value }
        }
        return nil
    }

    /// Past `</name…>`, the end of a script-like element; past everything when it never ends.
    private mutating func skipContents(of name: String) {
        let closing = Array("</\(name)".utf8)
        var at = index
        while let found = bytes[at...].firstIndex(of: UInt8(ascii: "<")) {
            let afterName = found + closing.count
            if afterName <= bytes.count,
               bytes[found..<afterName].map({ $0 | ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? 0x20 : 0) }).elementsEqual(closing),
               afterName == bytes.count || isSpace(bytes[afterName]) || bytes[afterName] == UInt8(ascii: ">") || bytes[afterName] == UInt8(ascii: "/") {
                index = (bytes[afterName...].firstIndex(of: UInt8(ascii: ">")) ?? (bytes.count - 1)) + 1
                return
            }
            at = found + 1
        }
        index = bytes.count
    }
}

/// Writes `SafeHTML` from the tokens of a status: paragraphs kept balanced, a link's text
/// gathered until it ends and then written by `SafeHTML.link`.
private struct SafeHTMLWriter {
    /// Elements that read as a line of their own; their edges become `<br>`.
    private static let lines: Set<String> = ["div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "ul", "ol", "dt", "dd"]

    private var html = ""
    private var inParagraph = false
    /// Whether the current line has anything yet: a `<br>` at its start adds nothing.
    private var lineHasText = false
    private var link: (href: String, text: String)?

    mutating func text(_ text: String) {
        if link != nil {
            link!.text += text
        } else {
            html += SafeHTML.escape(text)
            if !text.allSatisfy(\.isWhitespace) { lineHasText = true }
        }
    }

    mutating func start(_ name: String, href: String?) {
        switch name {
        case "p":
            closeParagraph()
            html += "<p>"
            inParagraph = true
        case "br":
            if link != nil { link!.text += " " } else { breakLine(always: true) }
        case "a":
            closeLink()
            link = (href ?? "", "")
        case _ where Self.lines.contains(name):
            closeLink()
            breakLine(always: false)
        default:
            break
        }
    }

    mutating func end(_ name: String) {
        switch name {
        case "p": closeParagraph()
        case "a": closeLink()
        case _ where Self.lines.contains(name):
            closeLink()
            breakLine(always: false)
        default: break
        }
    }

    mutating func finished() -> String {
        closeParagraph()
        return html
    }

    private mutating func breakLine(always: Bool) {
        guard always || lineHasText else { return }
        html += "<br>"
        lineHasText = false
    }

    private mutating func closeLink() {
        guard let open = link else { return }
        link = nil
        let words = open.text.trimmingCharacters(in: .whitespacesAndNewlines)
        html += SafeHTML.link(open.href.trimmingCharacters(in: .whitespacesAndNewlines), text: words.isEmpty ? open.href : open.text)
        lineHasText = true
    }

    private mutating func closeParagraph() {
        closeLink()
        if inParagraph { html += "</p>" }
        inParagraph = false
        lineHasText = false
    }
}
