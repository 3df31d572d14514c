/// The result of checking a text against one network's rules.
///
/// Encodes as the compose-check API answer for one network:
/// `{"length", "limit", "valid", "facets": [...]}`, where `facets` holds Bluesky's
/// `BlueskyFacet`s for Bluesky and `TextEntity`s for every other network.
public struct TextCheck: Sendable, Hashable, Encodable {
    public var network: Network
    /// The text's length in the network's own unit (X: weighted length).
    public var length: Int
    public var limit: Int
    /// Whether the network will accept the text. An empty text is valid: whether a post needs
    /// text at all (or media instead) is the caller's rule, not the text's.
    public var valid: Bool
    /// Why the text is not valid; empty when it is.
    public var problems: [TextProblem]
    /// Links, mentions and hashtags, with Unicode-scalar offsets into the text as given.
    public var entities: [TextEntity]
    /// Bluesky's facets with UTF-8 byte offsets; empty for other networks.
    public var blueskyFacets: [BlueskyFacet]

    public init(
        network: Network,
        length: Int,
        limit: Int,
        problems: [TextProblem],
        entities: [TextEntity],
        blueskyFacets: [BlueskyFacet] = []
    ) {
        self.network = network
        self.length = length
        self.limit = limit
        self.valid = problems.isEmpty
        self.problems = problems
        self.entities = entities
        self.blueskyFacets = blueskyFacets
    }

    private enum CodingKeys: String, CodingKey {
        case length
        case limit
        case valid
        case facets
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(length, forKey: .length)
        try container.encode(limit, forKey: .limit)
        try container.encode(valid, forKey: .valid)
        if network == .bluesky {
            try container.encode(blueskyFacets, forKey: .facets)
        } else {
            try container.encode(entities, forKey: .facets)
        }
    }
}
