import Foundation

/// One feed, whatever it was published as: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.x.
/// Links are absolute http(s) URLs (relative ones resolved against `xml:base` and the feed's
/// URL); texts are trimmed; nothing the publisher left out is made up.
public struct Feed: Sendable, Equatable {
    public var format: FeedFormat
    public var title: String?
    public var link: URL?
    public var description: String?
    public var image: URL?
    public var items: [FeedItem]
    /// The WebSub hub the publisher names (`<link rel="hub">`, JSON Feed `hubs`), which pushes
    /// new versions to subscribers.
    public var hub: URL?
    /// The feed's own canonical address (`<link rel="self">`, JSON Feed `feed_url`): the topic
    /// to subscribe to at the hub.
    public var selfURL: URL?

    public init(format: FeedFormat, title: String? = nil, link: URL? = nil, description: String? = nil, image: URL? = nil, items: [FeedItem] = [],
                hub: URL? = nil, selfURL: URL? = nil) {
        self.format = format
        self.title = title
        self.link = link
        self.description = description
        self.image = image
        self.items = items
        self.hub = hub
        self.selfURL = selfURL
    }
}

/// The format and version a feed declared (or, where it declared none, the one it reads as).
public enum FeedFormat: String, Sendable, Equatable, CaseIterable {
    case rss090 = "RSS 0.90", rss091 = "RSS 0.91", rss092 = "RSS 0.92", rss10 = "RSS 1.0", rss20 = "RSS 2.0"
    case atom03 = "Atom 0.3", atom10 = "Atom 1.0"
    case json10 = "JSON Feed 1.0", json11 = "JSON Feed 1.1"
}

/// One entry of a feed. `id` is never empty and stays the same each time the feed is read: the
/// publisher's guid or id, else the item's link, else a hash of its title, date and summary.
public struct FeedItem: Sendable, Equatable {
    public var id: String
    public var title: String?
    public var link: URL?
    public var published: Date?
    public var updated: Date?
    /// HTML or plain text, as the publisher gave it.
    public var summary: String?
    /// HTML or plain text, as the publisher gave it; links inside it are left as they are.
    public var content: String?
    public var authors: [FeedAuthor]
    public var categories: [String]
    public var enclosures: [FeedEnclosure]
    public var image: URL?

    public init(
        id: String, title: String? = nil, link: URL? = nil, published: Date? = nil, updated: Date? = nil, summary: String? = nil,
        content: String? = nil, authors: [FeedAuthor] = [], categories: [String] = [], enclosures: [FeedEnclosure] = [], image: URL? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.summary = summary
        self.content = content
        self.authors = authors
        self.categories = categories
        self.enclosures = enclosures
        self.image = image
    }
}

/// A person credited on an item; at least one of the three is present.
public struct FeedAuthor: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var url: URL?

    public init(name: String? = nil, email: String? = nil, url: URL? = nil) {
        self.name = name
        self.email = email
        self.url = url
    }
}

/// A file attached to an item (a podcast episode, a PDF).
public struct FeedEnclosure: Sendable, Equatable {
    public var url: URL
    public var type: String?
    /// Bytes, when the feed said and the number is sane.
    public var length: Int?

    public init(url: URL, type: String? = nil, length: Int? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// Why bytes could not be read as a feed, in words a person can act on.
public enum FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not well-formed XML (or past one of the reader's bounds) at a 1-based line and column.
    case xml(message: String, line: Int, column: Int)
    /// Not JSON, or JSON that is not a JSON Feed.
    case json(message: String)
    /// The bytes declare an encoding this reader does not know.
    case unsupportedEncoding(String)
    /// Well-formed, but not RSS, Atom or JSON Feed.
    case notAFeed(message: String)

    public var message: String {
        switch self {
        case .xml(let message, _, _), .json(let message), .notAFeed(let message): message
        case .unsupportedEncoding(let name): "the feed's encoding \(name.debugDescription) is not supported"
        }
    }

    public var description: String {
        switch self {
        case .xml(let message, let line, let column): "line \(line), column \(column): \(message)"
        default: message
        }
    }
}

extension FeedItem {
    /// The summary (else the content) as plain text: tags dropped, entities decoded, spaces
    /// collapsed; nil when the item has neither.
    public var plainSummary: String? {
        guard let html = summary ?? content else { return nil }
        let text = FeedText.plainText(fromHTML: html)
        return text.isEmpty ? nil : text
    }
}
