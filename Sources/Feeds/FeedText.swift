import Foundation

/// How raw feed values become the model's: trimmed and bounded texts, plain-text titles, absolute
/// http(s) links, and the stable id of an item that has none.
enum FeedText {
    static let mostItems = 10_000
    /// Authors, categories and enclosures kept per item.
    static let mostPerItem = 100
    static let longestTitle = 2_000
    /// Summaries and contents; `XMLReader` already cuts each element's text near this.
    static let longestBody = 4 << 20

    /// `text` trimmed, nil when empty, cut to `limit` UTF-8 bytes on a character boundary.
    static func clean(_ text: String?, limit: Int = longestBody) -> String? {
        guard let trimmed = text.map(trimmingSpace), !trimmed.isEmpty else { return nil }
        guard trimmed.utf8.count > limit else { return trimmed }
        var kept = ""
        for character in trimmed {
            guard kept.utf8.count + character.utf8.count <= limit else { break }
            kept.append(character)
        }
        return kept
    }

    /// `text` without white space at either end. (Foundation's `trimmingCharacters` is slow
    /// on Linux, and contents run to megabytes.)
    static func trimmingSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }

    /// A title as plain text: tags dropped, entities read, runs of white space made one space.
    /// Publishers put HTML in titles (Atom's `type="html"`, RSS titles escaped once or twice),
    /// and a post made from a title must not show `&amp;` or `<b>`.
    static func title(_ text: String?, isHTML: Bool) -> String? {
        guard let text = clean(text, limit: longestTitle * 4) else { return nil }
        let markup = isHTML || text.contains("<") || text.contains("&")
        return clean(markup ? plainText(fromHTML: text) : collapsingSpace(text), limit: longestTitle)
    }

    static func plainText(fromHTML html: String) -> String {
        var html = html
        let bytes = html.withUTF8 { p -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(p.count)
            var i = 0
            while i < p.count {
                switch p[i] {
                case UInt8(ascii: "<") where i + 1 < p.count && isTagStart(p[i + 1]):
                    while i < p.count, p[i] != UInt8(ascii: ">") { i += 1 }
                    i += 1
                    out.append(0x20)
                case UInt8(ascii: "&"):
                    if let (scalar, end) = HTMLEntities.reference(in: p, at: i) {
                        out.append(contentsOf: String(scalar).utf8)
                        i = end
                    } else {
                        out.append(p[i])
                        i += 1
                    }
                default:
                    out.append(p[i])
                    i += 1
                }
            }
            return out
        }
        return collapsingSpace(String(decoding: bytes, as: UTF8.self))
    }

    private static func isTagStart(_ byte: UInt8) -> Bool {
        byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "!")
    }

    static func collapsingSpace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// An absolute http(s) URL from `text` resolved against `base`; nil for anything else
    /// (`javascript:`, `data:`, a bare word that resolves nowhere).
    static func link(_ text: String?, base: URL?) -> URL? {
        guard let text = clean(text, limit: 8_192) else { return nil }
        guard let url = URL(string: text, relativeTo: base)?.absoluteURL,
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else { return nil }
        return url
    }

    /// A non-negative byte count no larger than a terabyte, from text such as `"123456"`.
    static func length(_ text: String?) -> Int? {
        guard let text = clean(text, limit: 32), let value = Int(text), (0...(1 << 40)).contains(value) else { return nil }
        return value
    }

    /// The id of an item without a guid or link: a hash of what identifies it, the same each run
    /// (FNV-1a; Swift's `Hasher` is seeded per process).
    static func stableID(title: String?, date: String?, summary: String?) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for part in [title ?? "", date ?? "", summary ?? ""] {
            for byte in part.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
            }
            hash = (hash ^ 0xFF) &* 0x100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "hash:" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// An RSS `author`: `"jo@example.com (Jo Baker)"`, `"Jo Baker <jo@example.com>"`, an address
    /// or a name.
    static func rssAuthor(_ text: String?) -> FeedAuthor? {
        guard let text = clean(text, limit: longestTitle) else { return nil }
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            let email = clean(String(text[..<open]))
            let name = clean(String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
            return FeedAuthor(name: name, email: email?.contains("@") == true ? email : nil)
        }
        if let open = text.firstIndex(of: "<"), text.hasSuffix(">") {
            return FeedAuthor(name: clean(String(text[..<open])), email: clean(String(text[text.index(after: open)..<text.index(before: text.endIndex)])))
        }
        return text.contains("@") && !text.contains(" ") ? FeedAuthor(email: text) : FeedAuthor(name: text)
    }

    /// `values` without repeats, in order, at most `mostPerItem` (from the first thousand).
    static func distinct<T: Equatable>(_ values: [T]) -> [T] {
        var kept: [T] = []
        for value in values.prefix(1_000) where !kept.contains(value) {
            kept.append(value)
            if kept.count == mostPerItem { break }
        }
        return kept
    }
}
