import Foundation

/// Reads any RSS, Atom or JSON Feed from its bytes. Hostile input is expected: whatever the
/// bytes, the reader returns or throws quickly, within bounded memory.
public enum FeedParser {
    /// Items kept from one feed; later ones are left out.
    public static let mostItems = FeedText.mostItems

    /// The feed in `data`. `url` is where it was fetched from (relative links resolve against
    /// it); `contentType` is the HTTP header, whose `charset` overrides the XML prolog.
    public static func parse(_ data: Data, url: URL? = nil, contentType: String? = nil) throws(FeedError) -> Feed {
        try parse([UInt8](data), url: url, contentType: contentType)
    }

    public static func parse(_ bytes: [UInt8], url: URL? = nil, contentType: String? = nil) throws(FeedError) -> Feed {
        let (encoding, skip) = try FeedEncoding.detect(bytes, contentType: contentType)
        let text = encoding.utf8(bytes, skip: skip)
        if text.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
            return try JSONFeedReader.feed(from: text, url: url)
        }
        let tree = try XMLReader.read(text, base: url)
        switch (tree.root.name, tree.root.vocabulary) {
        case ("rss", .none), ("RDF", .rdf):
            return try RSSFeedReader.feed(from: tree)
        case ("feed", let vocabulary) where Vocabulary.atom.contains(vocabulary):
            return AtomFeedReader.feed(from: tree)
        case ("html", _):
            throw .notAFeed(message: "a web page, not a feed")
        case (let name, _):
            throw .notAFeed(message: "XML whose root element <\(name)> is not RSS or Atom")
        }
    }
}
