import Foundation

/// A site's newest entries as its feeds describe them, every address absolute (built from
/// `TRESTLE_PUBLIC_URL`, else the request's host, as the rest of Trestle does).
struct SiteFeed: Sendable {
    struct Attachment: Sendable {
        var url: String
        var mimeType: String
        var byteCount: Int
        var altText: String
        var isImage: Bool
    }

    struct Item: Sendable {
        /// `urn:uuid:` and the entry's id: the same in every feed, and forever.
        var id: String
        var url: String
        var title: String
        var html: String
        var text: String
        var published: Date
        var updated: Date
        var attachments: [Attachment]
    }

    var title: String
    /// `urn:uuid:` and the channel's id.
    var id: String
    var addresses: SiteAddresses
    var updated: Date
    var items: [Item]

    init(site: Channel, slug: String, entries: [SiteEntry], base: String) throws {
        title = site.name
        id = "urn:uuid:\(try site.requireID().uuidString.lowercased())"
        addresses = SiteAddresses(slug: slug, base: base)
        updated = entries.map(\.updatedAt).max() ?? site.createdAt ?? Date(timeIntervalSince1970: 0)
        items = entries.map { entry in
            let attachments = entry.media.map { media in
                Attachment(url: base + SiteURL.media(slug, entry: entry.id, index: media.index), mimeType: media.mimeType,
                           byteCount: media.byteCount, altText: media.altText, isImage: !media.isVideo)
            }
            // Readers show the content alone, so the images go into it, with their alt text.
            let images = attachments.filter(\.isImage).map { "<p><img src=\"\(SiteHTML.escape($0.url))\" alt=\"\(SiteHTML.escape($0.altText))\"></p>" }
            return Item(
                id: "urn:uuid:\(entry.id)", url: base + SiteURL.entry(slug, entry.id), title: SiteHTML.title(entry.parts),
                html: ([SiteHTML.entry(entry.parts)] + images).joined(separator: "\n"), text: SiteHTML.plainText(entry.parts),
                published: entry.publishedAt, updated: entry.updatedAt, attachments: attachments
            )
        }
    }

    // MARK: Writers

    /// RSS 2.0, with `atom:link rel="self"`; dates in RFC 822.
    var rss: String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel>
            <title>\(x(title))</title>
            <link>\(x(addresses.url))</link>
            <description>\(x("The posts of \(title)"))</description>
            <atom:link href="\(x(addresses.rss))" rel="self" type="application/rss+xml"/>
            <lastBuildDate>\(Self.rfc822(updated))</lastBuildDate>
            <generator>Trestle</generator>

            """
        for item in items {
            xml += """
                <item>
                <title>\(x(item.title))</title>
                <link>\(x(item.url))</link>
                <guid isPermaLink="false">\(x(item.id))</guid>
                <pubDate>\(Self.rfc822(item.published))</pubDate>
                <description>\(x(item.html))</description>

                """
            // RSS 2.0 carries one enclosure an item.
            if let first = item.attachments.first {
                xml += "<enclosure url=\"\(x(first.url))\" length=\"\(first.byteCount)\" type=\"\(x(first.mimeType))\"/>\n"
            }
            xml += "</item>\n"
        }
        return xml + "</channel>\n</rss>\n"
    }

    /// Atom 1.0 (RFC 4287); dates in RFC 3339.
    var atom: String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>\(x(id))</id>
            <title>\(x(title))</title>
            <updated>\(Self.rfc3339(updated))</updated>
            <link rel="alternate" type="text/html" href="\(x(addresses.url))"/>
            <link rel="self" type="application/atom+xml" href="\(x(addresses.atom))"/>
            <author><name>\(x(title))</name></author>
            <generator>Trestle</generator>

            """
        for item in items {
            xml += """
                <entry>
                <id>\(x(item.id))</id>
                <title>\(x(item.title))</title>
                <link rel="alternate" type="text/html" href="\(x(item.url))"/>
                <published>\(Self.rfc3339(item.published))</published>
                <updated>\(Self.rfc3339(item.updated))</updated>
                <content type="html">\(x(item.html))</content>

                """
            for attachment in item.attachments {
                xml += "<link rel=\"enclosure\" type=\"\(x(attachment.mimeType))\" length=\"\(attachment.byteCount)\" href=\"\(x(attachment.url))\"/>\n"
            }
            xml += "</entry>\n"
        }
        return xml + "</feed>\n"
    }

    /// JSON Feed 1.1; dates in RFC 3339.
    func json() throws -> String {
        var feed: [String: Any] = [
            "version": "https://jsonfeed.org/version/1.1",
            "title": title, "home_page_url": addresses.url, "feed_url": addresses.json,
            "authors": [["name": title]],
        ]
        feed["items"] = items.map { item -> [String: Any] in
            var entry: [String: Any] = [
                "id": item.id, "url": item.url, "title": item.title,
                "content_html": item.html, "content_text": item.text,
                "date_published": Self.rfc3339(item.published), "date_modified": Self.rfc3339(item.updated),
            ]
            if let image = item.attachments.first(where: \.isImage) { entry["image"] = image.url }
            if !item.attachments.isEmpty {
                entry["attachments"] = item.attachments.map {
                    ["url": $0.url, "mime_type": $0.mimeType, "size_in_bytes": $0.byteCount, "title": $0.altText] as [String: Any]
                }
            }
            return entry
        }
        // JSONSerialization escapes what JSON needs; `/` is left as it is, for readable addresses.
        return String(decoding: try JSONSerialization.data(withJSONObject: feed, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    private func x(_ text: String) -> String { SiteHTML.escape(text) }

    static func rfc822(_ date: Date) -> String {
        DateText.format(date, "EEE, dd MMM yyyy HH:mm:ss '+0000'", in: TimeZone(identifier: "UTC")!, locale: "en_US_POSIX")
    }

    static func rfc3339(_ date: Date) -> String {
        DateText.format(date, "yyyy-MM-dd'T'HH:mm:ss'Z'", in: TimeZone(identifier: "UTC")!, locale: "en_US_POSIX")
    }
}
