import Foundation
import TextRules
import Vapor

struct ComposeCheckRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "networks"]
    var text: String
    var networks: [String]
}

/// Inside a workspace the check also takes the workspace's channels (each counted by its own
/// limits, such as a Mastodon instance's) and looks at the post's uploaded media.
struct WorkspaceComposeCheckRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "networks", "channels", "media", "shortenLinks"]
    var text: String
    var networks: [String]?
    var channels: [String]?
    var media: [UUID]?
    /// Count the channels' links as the short links they will go out as (where they will be);
    /// true when left out.
    var shortenLinks: Bool?
}

/// `{"results": {"x": {"length", "limit", "valid", "facets", "problems"}, …}}`.
struct ComposeCheckResponse: Content {
    var results: [String: NetworkCheck]

    init(_ checks: [(Network, TextCheck)], media: [MediaItem]? = nil) {
        self.init(keyed: checks.map { ($0.0.rawValue, $0.1) }, media: media)
    }

    /// Results keyed by network name or channel id.
    init(keyed checks: [(String, TextCheck)], media: [MediaItem]? = nil) {
        results = Dictionary(checks.map { key, check in
            (key, NetworkCheck(check: check, mediaProblems: media.map { MediaRules.rules(for: check.network).problems(with: $0) } ?? []))
        }, uniquingKeysWith: { first, _ in first })
    }

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "answers are not decoded"))
    }
}

/// One network's answer: `length`, `limit`, `valid`, `facets` as TextRules counts them, plus
/// the problems (text and media) as sentences a person can act on.
struct NetworkCheck: Encodable, Sendable {
    struct Problem: Encodable, Sendable {
        var code: String
        var message: String
    }

    var check: TextCheck
    var mediaProblems: [String] = []

    private enum CodingKeys: String, CodingKey { case length, limit, valid, facets, problems }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(check.length, forKey: .length)
        try container.encode(check.limit, forKey: .limit)
        try container.encode(check.valid && mediaProblems.isEmpty, forKey: .valid)
        if check.network == .bluesky {
            try container.encode(check.blueskyFacets, forKey: .facets)
        } else {
            try container.encode(check.entities, forKey: .facets)
        }
        let problems = check.problemMessages.map { Problem(code: $0.code, message: $0.message) }
            + mediaProblems.map { Problem(code: "media", message: $0) }
        try container.encode(problems, forKey: .problems)
    }
}
