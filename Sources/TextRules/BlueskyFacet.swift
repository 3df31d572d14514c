/// A rich-text facet in the AT Protocol's own shape (`app.bsky.richtext.facet`):
/// `{"index": {"byteStart", "byteEnd"}, "features": [{"$type", "uri" / "did" / "tag"}]}`.
///
/// Offsets count UTF-8 bytes of the post text, end exclusive, as the lexicon requires.
public struct BlueskyFacet: Sendable, Hashable, Codable {
    /// The byte range a facet covers.
    public struct ByteSlice: Sendable, Hashable, Codable {
        public var byteStart: Int
        public var byteEnd: Int

        public init(byteStart: Int, byteEnd: Int) {
            self.byteStart = byteStart
            self.byteEnd = byteEnd
        }
    }

    /// What a facet means.
    ///
    /// A mention needs the account's DID, which only a handle resolution
    /// (`com.atproto.identity.resolveHandle`) can give. Detection therefore yields the handle
    /// with `did == nil`; until the caller resolves it with `resolved(did:)`, the handle is
    /// encoded in the `did` field as a placeholder, as Bluesky's own client library does.
    public enum Feature: Sendable, Hashable, Codable {
        case link(uri: String)
        case mention(handle: String, did: String?)
        case tag(String)

        static let linkType = "app.bsky.richtext.facet#link"
        static let mentionType = "app.bsky.richtext.facet#mention"
        static let tagType = "app.bsky.richtext.facet#tag"

        private enum CodingKeys: String, CodingKey {
            case type = "$type"
            case uri
            case did
            case tag
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .link(let uri):
                try container.encode(Self.linkType, forKey: .type)
                try container.encode(uri, forKey: .uri)
            case .mention(let handle, let did):
                try container.encode(Self.mentionType, forKey: .type)
                try container.encode(did ?? handle, forKey: .did)
            case .tag(let tag):
                try container.encode(Self.tagType, forKey: .type)
                try container.encode(tag, forKey: .tag)
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case Self.linkType:
                self = .link(uri: try container.decode(String.self, forKey: .uri))
            case Self.mentionType:
                // A decoded mention has no separate handle: whatever stands in `did` is kept in both.
                let did = try container.decode(String.self, forKey: .did)
                self = .mention(handle: did, did: did.hasPrefix("did:") ? did : nil)
            case Self.tagType:
                self = .tag(try container.decode(String.self, forKey: .tag))
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .type, in: container, debugDescription: "unknown facet feature \(type)")
            }
        }
    }

    public var index: ByteSlice
    public var features: [Feature]

    public init(index: ByteSlice, features: [Feature]) {
        self.index = index
        self.features = features
    }

    /// The handle of a mention facet that still needs its DID, if this is one.
    public var unresolvedHandle: String? {
        for case .mention(let handle, nil) in features {
            return handle
        }
        return nil
    }

    /// This facet with its mention pointing at `did`.
    public func resolved(did: String) -> BlueskyFacet {
        var copy = self
        copy.features = features.map { feature in
            if case .mention(let handle, _) = feature {
                return .mention(handle: handle, did: did)
            }
            return feature
        }
        return copy
    }
}
