import Foundation

/// JSON Feed 1.0 and 1.1 (jsonfeed.org), read leniently: a field of the wrong type is left out,
/// not a reason to refuse the feed; a number where an id string belongs is taken as text.
enum JSONFeedReader {
    /// Deeper JSON is no feed; the check runs before JSONSerialization, which recurses.
    static let deepest = 64

    static func feed(from bytes: [UInt8], url: URL?) throws(FeedError) -> Feed {
        guard nestingDepth(bytes) <= deepest else { throw .json(message: "JSON nested deeper than \(deepest)") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw .json(message: "not valid JSON")
        }
        guard let root = object as? [String: Any] else { throw .json(message: "a JSON Feed is an object") }
        let version = root["version"] as? String
        guard version?.hasPrefix("https://jsonfeed.org/version/") == true || root["items"] is [Any] else {
            throw .notAFeed(message: "JSON without a JSON Feed version or items")
        }
        let base = absoluteURL(root["feed_url"], base: url) ?? url
        let feedAuthors = authors(in: root, base: base)
        let items = (root["items"] as? [Any] ?? []).prefix(FeedText.mostItems).compactMap { $0 as? [String: Any] }
        return Feed(
            format: version?.hasSuffix("/1.1") == true ? .json11 : .json10,
            title: FeedText.title(root["title"] as? String, isHTML: false),
            link: absoluteURL(root["home_page_url"], base: base),
            description: FeedText.clean(root["description"] as? String),
            image: absoluteURL(root["icon"], base: base) ?? absoluteURL(root["favicon"], base: base),
            items: items.map { item(from: $0, base: base, feedAuthors: feedAuthors) },
            hub: (root["hubs"] as? [Any] ?? []).prefix(100).compactMap { $0 as? [String: Any] }.lazy.compactMap { absoluteURL($0["url"], base: base) }.first,
            selfURL: absoluteURL(root["feed_url"], base: url)
        )
    }

    private static func item(from object: [String: Any], base: URL?, feedAuthors: [FeedAuthor]) -> FeedItem {
        let title = FeedText.title(object["title"] as? String, isHTML: false)
        let link = absoluteURL(object["url"], base: base) ?? absoluteURL(object["external_url"], base: base)
        let summary = FeedText.clean(object["summary"] as? String)
        let content = FeedText.clean(object["content_html"] as? String) ?? FeedText.clean(object["content_text"] as? String)
        let publishedText = FeedText.clean(object["date_published"] as? String, limit: 256)
        let id: String? = switch object["id"] {
        case let text as String: FeedText.clean(text, limit: 2_048)
        case let number as NSNumber: number.stringValue
        default: nil
        }
        let attachments = (object["attachments"] as? [Any] ?? []).prefix(1_000).compactMap { $0 as? [String: Any] }.compactMap { attachment in
            absoluteURL(attachment["url"], base: base).map { url in
                FeedEnclosure(
                    url: url, type: FeedText.clean(attachment["mime_type"] as? String, limit: 255),
                    length: (attachment["size_in_bytes"] as? NSNumber).flatMap { FeedText.length($0.stringValue) }
                )
            }
        }
        let itemAuthors = authors(in: object, base: base)
        return FeedItem(
            id: id ?? link?.absoluteString ?? FeedText.stableID(title: title, date: publishedText, summary: summary ?? content),
            title: title,
            link: link,
            published: publishedText.flatMap(FeedDate.parse),
            updated: FeedText.clean(object["date_modified"] as? String, limit: 256).flatMap(FeedDate.parse),
            summary: summary,
            content: content,
            authors: itemAuthors.isEmpty ? feedAuthors : itemAuthors,
            categories: FeedText.distinct((object["tags"] as? [Any] ?? []).compactMap { FeedText.clean($0 as? String, limit: FeedText.longestTitle) }),
            enclosures: FeedText.distinct(attachments),
            image: absoluteURL(object["image"], base: base) ?? absoluteURL(object["banner_image"], base: base)
        )
    }

    /// 1.1's `authors`, or 1.0's single `author`.
    private static func authors(in object: [String: Any], base: URL?) -> [FeedAuthor] {
        let objects = (object["authors"] as? [Any])?.prefix(1_000).compactMap { $0 as? [String: Any] } ?? [object["author"] as? [String: Any]].compactMap { $0 }
        return FeedText.distinct(objects.compactMap { author in
            let name = FeedText.clean(author["name"] as? String, limit: FeedText.longestTitle)
            let address = absoluteURL(author["url"], base: base)
            return name == nil && address == nil ? nil : FeedAuthor(name: name, url: address)
        })
    }

    private static func absoluteURL(_ value: Any?, base: URL?) -> URL? {
        FeedText.link(value as? String, base: base)
    }

    /// The deepest nesting of arrays and objects in `bytes`, strings skipped.
    static func nestingDepth(_ bytes: [UInt8]) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}
