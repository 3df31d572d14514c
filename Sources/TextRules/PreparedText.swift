/// One text with the work that several networks' checks have in common, each piece done at most
/// once, on first use.
///
/// Checking a text for all seven networks used to redo the same steps per network: the scalars,
/// twitter-text's link scan (X, Mastodon, LinkedIn, Facebook, Threads), its hashtag scan (all but
/// Bluesky), Instagram's mention scan (Instagram, Threads), the UTF-16 and grapheme counts. A
/// network's internal `check(_: inout PreparedText)` takes what it needs from here, so
/// `TextRulesCatalog.check(_:for:)` pays for each step once; the public `check(_:)` of a
/// network prepares a text of its own, and computes only what that network asks for.
struct PreparedText {
    let text: String
    /// The text's Unicode scalars: every offset in a `TextEntity` indexes these.
    let scalars: [Unicode.Scalar]

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    /// The scalars in Normalization Form C (X counts these); the same array when the text is
    /// NFC already.
    lazy var nfcScalars: [Unicode.Scalar] = UnicodeNormalization.nfc(scalars, of: text)

    /// twitter-text's links, with or without a protocol.
    var urlMatches: [TwitterURLScanner.Match] {
        mutating get {
            if let urlMatchesStorage { return urlMatchesStorage }
            let matches = TwitterURLScanner(scalars: scalars, includesURLsWithoutProtocol: true).matches()
            urlMatchesStorage = matches
            return matches
        }
    }
    private var urlMatchesStorage: [TwitterURLScanner.Match]?

    /// `urlMatches` as entities.
    lazy var urlEntities: [TextEntity] = urlMatches.map { entity(.url, $0.range) }

    /// The links Mastodon sees: those with `http://` or `https://`.
    ///
    /// The scanner's walk does not depend on whether links without a protocol are wanted — that
    /// only decides which candidates are kept — so these are the links with a protocol among
    /// `urlMatches` once another network has scanned. Otherwise a scan for them alone is
    /// cheaper: it gives up at once on text without a `:`, and checks no bare domains.
    lazy var urlEntitiesWithProtocol: [TextEntity] = {
        guard urlMatchesStorage != nil else {
            return TwitterTextExtractor(requiresProtocol: true).urlEntities(in: scalars)
        }
        var result: [TextEntity] = []
        for (match, entity) in zip(urlMatches, urlEntities) where match.hasProtocol { result.append(entity) }
        return result
    }()

    /// twitter-text's hashtags, links not yet taken out.
    lazy var hashtagEntities: [TextEntity] = TwitterHashtagScanner(scalars: scalars).matches().map {
        entity(.hashtag, $0)
    }

    /// Links and hashtags without overlaps: all that Facebook and LinkedIn mark.
    lazy var urlAndHashtagEntities: [TextEntity] = TwitterTextExtractor.removingOverlaps(
        urlEntities + hashtagEntities)

    /// Instagram's `@username` mentions (Instagram and Threads).
    lazy var instagramMentionEntities: [TextEntity] = InstagramMentionScanner(scalars: scalars).matches().map {
        entity(.mention, $0)
    }

    /// UTF-16 code units, the unit of the networks whose services are Java.
    lazy var utf16Count: Int = text.utf16.count

    /// Grapheme clusters, what a reader sees as characters.
    lazy var graphemeCount: Int = text.count

    private func entity(_ kind: TextEntity.Kind, _ range: Range<Int>) -> TextEntity {
        TextEntity(kind: kind, start: range.lowerBound, end: range.upperBound, text: scalars.string(range))
    }
}
