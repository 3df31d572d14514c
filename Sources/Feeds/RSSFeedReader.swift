import Foundation

/// RSS 0.90, 0.91, 0.92, 1.0 (RDF) and 2.0, with the extensions publishers add to them:
/// `content:encoded`, Dublin Core dates and creators, Media RSS, iTunes, Atom links.
enum RSSFeedReader {
    static func feed(from tree: XMLTree) throws(FeedError) -> Feed {
        let root = tree.root
        let channel = root.child("channel", in: Vocabulary.rss)
        let format: FeedFormat
        if root.name == "RDF" {
            format = root.children.contains { $0.vocabulary == .rss090 } ? .rss090 : .rss10
        } else {
            switch root[attribute: "version"]?.trimmingCharacters(in: .whitespaces) {
            case "0.90", "0.9": format = .rss090
            case "0.91": format = .rss091
            case "0.92", "0.93", "0.94": format = .rss092
            default: format = .rss20
            }
        }
        guard let channel else { throw .notAFeed(message: "an RSS feed without a <channel>") }
        // RSS 1.0 and 0.90 put items beside the channel; 0.9x and 2.0 inside it.
        let itemElements = (channel.children("item", in: Vocabulary.rss) + root.children("item", in: Vocabulary.rss)).prefix(FeedText.mostItems)
        let image = channel.child("image", in: Vocabulary.rss) ?? root.child("image", in: Vocabulary.rss)
        return Feed(
            format: format,
            title: FeedText.title(channel.child("title", in: Vocabulary.rss)?.text, isHTML: false),
            link: FeedText.link(channel.child("link", in: Vocabulary.rss)?.text, base: channel.base)
                ?? alternateLink(of: channel),
            description: FeedText.clean(html(channel.child("description", in: Vocabulary.rss), in: tree)),
            image: image.flatMap { FeedText.link($0.child("url", in: Vocabulary.rss)?.text, base: $0.base) } ?? FeedExtensions.image(of: channel),
            items: itemElements.map { item(from: $0, in: tree) },
            hub: atomLink(of: channel, rel: "hub"),
            selfURL: atomLink(of: channel, rel: "self")
        )
    }

    static func item(from element: XMLTree.Element, in tree: XMLTree) -> FeedItem {
        let title = FeedText.title(element.child("title", in: Vocabulary.rss)?.text, isHTML: false)
        let guid = element.child("guid", in: Vocabulary.rss)
        let guidText = FeedText.clean(guid?.text, limit: 2_048)
        var link = FeedText.link(element.child("link", in: Vocabulary.rss)?.text, base: element.base) ?? alternateLink(of: element)
        // A guid is a permalink unless it says otherwise (RSS 2.0).
        if link == nil, guid?[attribute: "isPermaLink"]?.lowercased() != "false" {
            link = FeedText.link(guidText, base: nil)
        }
        let dateText = FeedExtensions.text(of: element, "pubDate", in: Vocabulary.rss)
            ?? FeedExtensions.text(of: element, "date", in: [.dublinCore])
            ?? FeedExtensions.text(of: element, "issued", in: [.dublinCoreTerms])
            ?? FeedExtensions.text(of: element, "created", in: [.dublinCoreTerms])
        let updatedText = FeedExtensions.text(of: element, "updated", in: [.atom10]) ?? FeedExtensions.text(of: element, "modified", in: [.dublinCoreTerms])
        let summary = FeedText.clean(html(element.child("description", in: Vocabulary.rss), in: tree))
            ?? FeedText.clean(html(element.child("description", in: [.dublinCore]), in: tree))
            ?? FeedText.clean(element.child("summary", in: [.itunes])?.text)
        var authors = element.children("author", in: Vocabulary.rss).compactMap { FeedText.rssAuthor($0.text) }
        authors += (element.children("creator", in: [.dublinCore]) + element.children("author", in: [.itunes]))
            .compactMap { FeedText.clean($0.text, limit: FeedText.longestTitle).map { FeedAuthor(name: $0) } }
        let categories = (element.children("category", in: Vocabulary.rss) + element.children("subject", in: [.dublinCore]))
            .compactMap { FeedText.clean($0.text, limit: FeedText.longestTitle) }
        let enclosures = element.children("enclosure", in: Vocabulary.rss).compactMap { enclosure in
            FeedText.link(enclosure[attribute: "url"], base: enclosure.base).map {
                FeedEnclosure(url: $0, type: FeedText.clean(enclosure[attribute: "type"], limit: 255), length: FeedText.length(enclosure[attribute: "length"]))
            }
        } + FeedExtensions.mediaEnclosures(of: element)
        let id = guidText ?? FeedText.clean(element[attribute: "about"], limit: 2_048) ?? link?.absoluteString
            ?? FeedText.stableID(title: title, date: dateText, summary: summary)
        return FeedItem(
            id: id,
            title: title,
            link: link,
            published: dateText.flatMap(FeedDate.parse),
            updated: updatedText.flatMap(FeedDate.parse),
            summary: summary,
            content: FeedText.clean(html(element.child("encoded", in: [.content]), in: tree)),
            authors: FeedText.distinct(authors),
            categories: FeedText.distinct(categories),
            enclosures: FeedText.distinct(enclosures),
            image: FeedExtensions.image(of: element) ?? enclosures.first { $0.type?.hasPrefix("image/") == true }?.url
        )
    }

    /// `<atom:link rel="hub">` or `rel="self"`, which WebSub publishers add to RSS.
    private static func atomLink(of element: XMLTree.Element, rel: String) -> URL? {
        element.children("link", in: [.atom10]).first { $0[attribute: "rel"]?.lowercased() == rel }
            .flatMap { FeedText.link($0[attribute: "href"], base: $0.base) }
    }

    /// `<atom:link rel="alternate">` (or with no rel), which some RSS feeds give instead of `<link>`.
    private static func alternateLink(of element: XMLTree.Element) -> URL? {
        element.children("link", in: [.atom10]).first { ($0[attribute: "rel"] ?? "alternate") == "alternate" }
            .flatMap { FeedText.link($0[attribute: "href"], base: $0.base) }
    }

    /// An element's HTML: its text, or the markup inside it when a publisher wrote HTML tags
    /// into the feed unescaped.
    static func html(_ element: XMLTree.Element?, in tree: XMLTree) -> String? {
        guard let element else { return nil }
        return element.children.isEmpty ? element.text : tree.innerMarkup(of: element)
    }
}
