import Crypto
import Feeds
import Foundation
import TextRules

/// What a feed item becomes on one channel: its template filled in, the link tagged for
/// analytics, and the whole made to fit the network's length rules — the summary shortened,
/// then dropped, then the title shortened with "…"; the link is never cut.
struct FeedPostText: Sendable {
    static let defaultTemplate = "{title} {link}"
    static let placeholders = ["{title}", "{link}", "{summary}", "{feed}"]
    static let longestTemplate = 2_000
    /// A summary is read up to this many characters before any shortening.
    static let longestSummary = 1_000
    /// A summary shorter than this once shortened says nothing; it is dropped instead.
    static let shortestSummary = 40

    var template: String
    var network: Network
    var rules: any NetworkTextRules

    /// Why `template` cannot be used, or nil.
    static func problem(with template: String) -> String? {
        if template.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "Write a template, such as \(defaultTemplate)." }
        if template.count > longestTemplate { return "A template has at most \(longestTemplate) characters." }
        if !template.contains("{link}") && !template.contains("{title}") { return "A template needs {link} or {title}, or every post would say the same." }
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let tail = rest[open...]
            guard let close = tail.firstIndex(of: "}") else { break }
            let name = String(tail[...close])
            if !placeholders.contains(name), name.count <= 20, name.dropFirst().dropLast().allSatisfy({ $0.isLetter }) {
                return "\(name) is not a placeholder; use \(placeholders.joined(separator: ", "))."
            }
            rest = tail[tail.index(after: open)...]
        }
        return nil
    }

    /// The post's text for `item`, and whether it fits: when even the link alone with the
    /// template's own words is too long for the network, the whole text, unfitted, for a person
    /// to edit.
    func text(for item: FeedItem, feedTitle: String?) -> (text: String, fits: Bool) {
        let link = item.link.map { Self.tagged($0, source: network.rawValue).absoluteString } ?? ""
        let title = item.title ?? ""
        let summary = String((template.contains("{summary}") ? item.plainSummary ?? "" : "").prefix(Self.longestSummary))
        let feed = feedTitle ?? ""
        func render(_ title: String, _ summary: String) -> String {
            let filled = template.replacingOccurrences(of: "{title}", with: title).replacingOccurrences(of: "{summary}", with: summary)
                .replacingOccurrences(of: "{feed}", with: feed).replacingOccurrences(of: "{link}", with: link)
            // An empty placeholder leaves no double space or blank edge behind.
            return filled.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
                .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func fits(_ text: String) -> Bool { !text.isEmpty && rules.check(text).valid }

        let whole = render(title, summary)
        if whole.isEmpty || fits(whole) { return (whole, !whole.isEmpty) }
        if summary.count >= Self.shortestSummary,
           let shortened = Self.longest(upTo: summary.count - 1, from: Self.shortestSummary, { fits(render(title, Self.shortened(summary, to: $0))) }) {
            return (render(title, Self.shortened(summary, to: shortened)), true)
        }
        if fits(render(title, "")) { return (render(title, ""), true) }
        if !title.isEmpty, let shortened = Self.longest(upTo: title.count - 1, from: 1, { fits(render(Self.shortened(title, to: $0), "")) }) {
            return (render(Self.shortened(title, to: shortened), ""), true)
        }
        return (whole, false)
    }

    /// The largest n in `low...high` for which `fits(n)`, assuming that fitting is monotonic.
    private static func longest(upTo high: Int, from low: Int, _ fits: (Int) -> Bool) -> Int? {
        guard high >= low, fits(low) else { return nil }
        var (good, bad) = (low, high + 1)
        while bad - good > 1 {
            let middle = good + (bad - good) / 2
            if fits(middle) { good = middle } else { bad = middle }
        }
        return good
    }

    /// `text` in at most `count` characters, ending in "…" when cut — at a word's end where
    /// one is near.
    static func shortened(_ text: String, to count: Int) -> String {
        guard text.count > count else { return text }
        guard count > 1 else { return "…" }
        var cut = text.prefix(count - 1)
        if let space = cut.lastIndex(of: " "), cut.distance(from: space, to: cut.endIndex) < 20, cut.distance(from: cut.startIndex, to: space) > 0 {
            cut = cut[..<space]
        }
        return cut.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)) + "…"
    }

    /// `url` with `utm_source`, `utm_medium=social` and `utm_campaign=feed` added; its own query
    /// is kept byte for byte, and a tag it has already is not added again.
    static func tagged(_ url: URL, source: String) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        let existing = Set((components.queryItems ?? []).map { $0.name.lowercased() })
        let tags = [("utm_source", source), ("utm_medium", "social"), ("utm_campaign", "feed")].filter { !existing.contains($0.0) }
        guard !tags.isEmpty else { return url }
        let added = tags.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let query = components.percentEncodedQuery ?? ""
        components.percentEncodedQuery = query.isEmpty ? added : query + "&" + added
        return components.url ?? url
    }

    /// The same article under any disguise a feed gives it: scheme, `www.`, a trailing slash,
    /// tracking tags, a fragment and the order of the query ignored; hashed.
    static func linkKey(_ url: URL?) -> String? {
        guard let url, let components = URLComponents(url: url, resolvingAgainstBaseURL: false), var host = components.host?.lowercased(), !host.isEmpty else { return nil }
        if host.hasPrefix("www.") { host.removeFirst(4) }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let query = (components.percentEncodedQuery ?? "").split(separator: "&")
            .filter { !$0.lowercased().hasPrefix("utm_") }.sorted().joined(separator: "&")
        return digest("\(host)\(components.port.map { ":\($0)" } ?? "")\(path)?\(query)")
    }

    static func itemKey(_ id: String) -> String { digest(id) }

    private static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
