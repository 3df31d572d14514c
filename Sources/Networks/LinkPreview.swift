import Foundation

/// What a page says about itself for a link card: its Open Graph title, description and image
/// (`og:*`, or `twitter:*`, or the `<title>`), read from the start of its HTML.
///
/// The page is anyone's: only the first `readLimit` bytes are looked at, each value is
/// shortened to what a card shows, and a page without a title gives no card.
public struct LinkPreview: Sendable, Equatable {
    public var url: String
    public var title: String
    public var description: String
    /// The image's absolute address, resolved against the page's.
    public var imageURL: URL?

    static let readLimit = 512 * 1024
    static let longestTitle = 300
    static let longestDescription = 1_000

    /// The card for `html` found at `pageURL`; nil when the page has no title.
    public static func read(html data: Data, pageURL: URL) -> LinkPreview? {
        let html = String(decoding: data.prefix(readLimit), as: UTF8.self)
        var meta: [String: String] = [:]
        var searchFrom = html.startIndex
        while let open = html.range(of: "<meta", options: .caseInsensitive, range: searchFrom..<html.endIndex) {
            guard let close = html.range(of: ">", range: open.upperBound..<html.endIndex) else { break }
            let attributes = Self.attributes(in: html[open.upperBound..<close.lowerBound])
            if let key = (attributes["property"] ?? attributes["name"])?.lowercased(), let content = attributes["content"], meta[key] == nil {
                meta[key] = content
            }
            searchFrom = close.upperBound
        }
        let title = meta["og:title"] ?? meta["twitter:title"] ?? Self.titleElement(in: html)
        guard let title = title.map(Self.clean), !title.isEmpty else { return nil }
        let description = (meta["og:description"] ?? meta["twitter:description"] ?? meta["description"]).map(Self.clean) ?? ""
        let image = (meta["og:image"] ?? meta["og:image:url"] ?? meta["twitter:image"]).flatMap { URL(string: Self.clean($0), relativeTo: pageURL)?.absoluteURL }
        return LinkPreview(
            url: pageURL.absoluteString, title: String(title.prefix(longestTitle)), description: String(description.prefix(longestDescription)),
            imageURL: image.flatMap { ["http", "https"].contains($0.scheme?.lowercased() ?? "") ? $0 : nil }
        )
    }

    /// `name="value"`, `name='value'` and `name=value` pairs, names lower-cased.
    private static func attributes(in tag: Substring) -> [String: String] {
        var found: [String: String] = [:]
        var rest = tag[...]
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].split(whereSeparator: { $0.isWhitespace || $0 == "/" }).last.map { $0.lowercased() } ?? ""
            var value = rest[rest.index(after: equals)...].drop { $0.isWhitespace }
            let content: Substring
            if let quote = value.first, quote == "\"" || quote == "'" {
                value = value.dropFirst()
                let end = value.firstIndex(of: quote) ?? value.endIndex
                content = value[..<end]
                rest = end < value.endIndex ? value[value.index(after: end)...] : value[end...]
            } else {
                let end = value.firstIndex { $0.isWhitespace } ?? value.endIndex
                content = value[..<end]
                rest = value[end...]
            }
            if !name.isEmpty, found[name] == nil { found[name] = String(content) }
        }
        return found
    }

    private static func titleElement(in html: String) -> String? {
        guard let open = html.range(of: "<title", options: .caseInsensitive),
              let start = html.range(of: ">", range: open.upperBound..<html.endIndex),
              let end = html.range(of: "</title", options: .caseInsensitive, range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// Entities decoded, whitespace runs as one space.
    static func clean(_ text: String) -> String {
        var decoded = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            decoded += rest[..<amp]
            let tail = rest[amp...]
            if let semicolon = tail.prefix(12).firstIndex(of: ";"), let character = entity(String(tail[tail.index(after: amp)..<semicolon])) {
                decoded.append(character)
                rest = tail[tail.index(after: semicolon)...]
            } else {
                decoded.append("&")
                rest = tail.dropFirst()
            }
        }
        decoded += rest
        return decoded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func entity(_ name: String) -> Character? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default:
            let number: UInt32?
            if name.hasPrefix("#x") || name.hasPrefix("#X") { number = UInt32(name.dropFirst(2), radix: 16) }
            else if name.hasPrefix("#") { number = UInt32(name.dropFirst()) }
            else { number = nil }
            return number.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }
}
