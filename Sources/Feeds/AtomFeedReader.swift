import Foundation

/// Atom 1.0 (RFC 4287) and its predecessor 0.3, with Media RSS (YouTube) and iTunes extensions.
enum AtomFeedReader {
    static func feed(from tree: XMLTree) -> Feed {
        let root = tree.root
        let format: FeedFormat = root.vocabulary == .atom03 || root[attribute: "version"] == "0.3" ? .atom03 : .atom10
        let feedAuthors = authors(of: root)
        let entries = root.children("entry", in: Vocabulary.atom).prefix(FeedText.mostItems)
        return Feed(
            format: format,
            title: title(root.child("title", in: Vocabulary.atom), in: tree),
            link: link(of: root, rel: "alternate"),
            description: FeedText.clean(textConstruct(root.child("subtitle", in: Vocabulary.atom) ?? root.child("tagline", in: Vocabulary.atom), in: tree)),
            image: ["logo", "icon"].lazy.compactMap { name in
                root.child(name, in: Vocabulary.atom).flatMap { FeedText.link($0.text, base: $0.base) }
            }.first ?? FeedExtensions.image(of: root),
            items: entries.map { item(from: $0, in: tree, feedAuthors: feedAuthors) },
            hub: link(of: root, rel: "hub"),
            selfURL: link(of: root, rel: "self")
        )
    }

    private static func item(from entry: XMLTree.Element, in tree: XMLTree, feedAuthors: [FeedAuthor]) -> FeedItem {
        let title = title(entry.child("title", in: Vocabulary.atom), in: tree)
        let link = link(of: entry, rel: "alternate")
        let publishedText = FeedExtensions.text(of: entry, "published", in: Vocabulary.atom)
            ?? FeedExtensions.text(of: entry, "issued", in: Vocabulary.atom)
            ?? FeedExtensions.text(of: entry, "created", in: Vocabulary.atom)
        let updatedText = FeedExtensions.text(of: entry, "updated", in: Vocabulary.atom) ?? FeedExtensions.text(of: entry, "modified", in: Vocabulary.atom)
        let summary = FeedText.clean(textConstruct(entry.child("summary", in: Vocabulary.atom), in: tree))
            ?? entry.children("group", in: [.media]).lazy.compactMap { FeedText.clean($0.child("description", in: [.media])?.text) }.first
        let contentElement = entry.child("content", in: Vocabulary.atom)
        // Content given by reference (`src`) has no text of its own here.
        let content = contentElement?[attribute: "src"] == nil ? FeedText.clean(textConstruct(contentElement, in: tree)) : nil
        let enclosures = entry.children("link", in: Vocabulary.atom)
            .filter { $0[attribute: "rel"] == "enclosure" }
            .compactMap { element in
                FeedText.link(element[attribute: "href"], base: element.base).map {
                    FeedEnclosure(url: $0, type: FeedText.clean(element[attribute: "type"], limit: 255), length: FeedText.length(element[attribute: "length"]))
                }
            } + FeedExtensions.mediaEnclosures(of: entry)
        let entryAuthors = authors(of: entry)
        let categories = entry.children("category", in: Vocabulary.atom).compactMap {
            FeedText.clean($0[attribute: "term"] ?? $0[attribute: "label"] ?? $0.text, limit: FeedText.longestTitle)
        } + entry.children("subject", in: [.dublinCore]).compactMap { FeedText.clean($0.text, limit: FeedText.longestTitle) }
        return FeedItem(
            id: FeedText.clean(entry.child("id", in: Vocabulary.atom)?.text, limit: 2_048) ?? link?.absoluteString
                ?? FeedText.stableID(title: title, date: publishedText ?? updatedText, summary: summary),
            title: title,
            link: link,
            published: publishedText.flatMap(FeedDate.parse),
            updated: updatedText.flatMap(FeedDate.parse),
            summary: summary,
            content: content,
            // An entry without authors has the feed's (RFC 4287 §4.2.1).
            authors: entryAuthors.isEmpty ? feedAuthors : entryAuthors,
            categories: FeedText.distinct(categories),
            enclosures: FeedText.distinct(enclosures),
            image: FeedExtensions.image(of: entry) ?? enclosures.first { $0.type?.hasPrefix("image/") == true }?.url
        )
    }

    private static func authors(of element: XMLTree.Element) -> [FeedAuthor] {
        let authors = element.children("author", in: Vocabulary.atom).compactMap { author -> FeedAuthor? in
            let person = FeedAuthor(
                name: FeedText.clean(author.child("name", in: Vocabulary.atom)?.text, limit: FeedText.longestTitle),
                email: FeedText.clean(author.child("email", in: Vocabulary.atom)?.text, limit: 320),
                url: author.child("uri", in: Vocabulary.atom).flatMap { FeedText.link($0.text, base: $0.base) }
                    ?? author.child("url", in: Vocabulary.atom).flatMap { FeedText.link($0.text, base: $0.base) }
            )
            return person.name == nil && person.email == nil && person.url == nil ? nil : person
        }
        return FeedText.distinct(authors)
    }

    /// The `alternate` link (a link without `rel` is one), preferring HTML among several.
    private static func link(of element: XMLTree.Element, rel: String) -> URL? {
        let links = element.children("link", in: Vocabulary.atom).filter { ($0[attribute: "rel"] ?? "alternate") == rel }
        let best = links.first { $0[attribute: "type"].map { $0.contains("html") } ?? true } ?? links.first
        return best.flatMap { FeedText.link($0[attribute: "href"], base: $0.base) }
    }

    private static func title(_ element: XMLTree.Element?, in tree: XMLTree) -> String? {
        guard let element else { return nil }
        if !element.children.isEmpty { return FeedText.title(tree.innerMarkup(of: element), isHTML: true) }
        let type = element[attribute: "type"]?.lowercased()
        return FeedText.title(element.text, isHTML: type == "html" || type == "text/html" || element[attribute: "mode"] == "escaped")
    }

    /// A text construct's content as HTML or text: XHTML as the markup inside its `div`,
    /// Atom 0.3's base64 decoded, everything else as its text.
    private static func textConstruct(_ element: XMLTree.Element?, in tree: XMLTree) -> String? {
        guard let element else { return nil }
        if element[attribute: "type"] == "xhtml" || element[attribute: "type"] == "application/xhtml+xml" {
            let wrapper = element.child("div", in: [.xhtml]) ?? element
            return tree.innerMarkup(of: wrapper)
        }
        if element[attribute: "mode"] == "base64" {
            return Data(base64Encoded: element.text, options: .ignoreUnknownCharacters).map { String(decoding: $0, as: UTF8.self) }
        }
        if element[attribute: "mode"] == "xml" || !element.children.isEmpty {
            return tree.innerMarkup(of: element)
        }
        return element.text
    }
}
