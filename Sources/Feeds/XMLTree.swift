import Foundation

/// The namespaces a feed reader tells apart. Elements in a namespace not listed here are kept
/// (as `.other`) but never mistaken for feed elements of the same local name.
enum Vocabulary: UInt8 {
    /// No namespace: RSS 0.91/0.92/2.0, and Atom written without its namespace.
    case none
    /// RSS 1.0 (RDF Site Summary) and RSS 0.90.
    case rss10, rss090
    case atom10, atom03
    case content, dublinCore, dublinCoreTerms, media, itunes, rdf, xhtml, other

    init(uri: String) {
        switch uri {
        case "http://purl.org/rss/1.0/": self = .rss10
        case "http://my.netscape.com/rdf/simple/0.9/", "http://channel.netscape.com/rdf/simple/0.9/": self = .rss090
        case "http://www.w3.org/2005/Atom": self = .atom10
        case "http://purl.org/atom/ns#": self = .atom03
        case "http://purl.org/rss/1.0/modules/content/": self = .content
        case "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/elements/1.0/": self = .dublinCore
        case "http://purl.org/dc/terms/": self = .dublinCoreTerms
        case "http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss": self = .media
        case "http://www.itunes.com/dtds/podcast-1.0.dtd", "http://www.itunes.com/DTDs/Podcast-1.0.dtd": self = .itunes
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": self = .rdf
        case "http://www.w3.org/1999/xhtml": self = .xhtml
        case "": self = .none
        default: self = .other
        }
    }

    /// Publishers often use these prefixes without declaring them; reading them as meant loses
    /// less than refusing the feed.
    init?(undeclaredPrefix prefix: String) {
        switch prefix {
        case "content": self = .content
        case "dc": self = .dublinCore
        case "dcterms": self = .dublinCoreTerms
        case "media": self = .media
        case "itunes": self = .itunes
        case "atom": self = .atom10
        case "rdf": self = .rdf
        default: return nil
        }
    }

    /// Where RSS's own elements may be: no namespace (0.91–2.0) or RSS 1.0's and 0.90's.
    static let rss: Set<Vocabulary> = [.none, .rss10, .rss090]
    /// Where Atom's own elements may be; a few feeds leave out the namespace.
    static let atom: Set<Vocabulary> = [.atom10, .atom03, .none]
}

/// A parsed XML document: its root element, and the UTF-8 text it was read from (for the
/// markup inside an element, such as Atom's XHTML content).
struct XMLTree {
    let root: Element
    let source: [UInt8]

    /// One element: its namespace, local name, attributes by local name, children, and the text
    /// directly inside it (entities and CDATA resolved, not trimmed).
    final class Element {
        let vocabulary: Vocabulary
        let name: String
        let attributes: [(name: String, value: String)]
        /// The base URL of this element (`xml:base`, inherited, over the feed's URL).
        let base: URL?
        var children: [Element] = []
        var text = ""
        /// Where the markup between the start and end tags lies in `source`.
        var inner: Range<Int>

        init(vocabulary: Vocabulary, name: String, attributes: [(name: String, value: String)], base: URL?, innerStart: Int) {
            self.vocabulary = vocabulary
            self.name = name
            self.attributes = attributes
            self.base = base
            inner = innerStart..<innerStart
        }

        subscript(attribute name: String) -> String? {
            attributes.first { $0.name == name }?.value
        }

        /// The first child with this name in one of these namespaces.
        func child(_ name: String, in vocabularies: Set<Vocabulary>) -> Element? {
            children.first { $0.name == name && vocabularies.contains($0.vocabulary) }
        }

        func children(_ name: String, in vocabularies: Set<Vocabulary>) -> [Element] {
            children.filter { $0.name == name && vocabularies.contains($0.vocabulary) }
        }
    }

    /// The markup inside `element`, as written (entities left escaped): HTML to a reader.
    func innerMarkup(of element: Element) -> String {
        String(decoding: source[element.inner], as: UTF8.self)
    }
}
