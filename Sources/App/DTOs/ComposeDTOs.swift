import Foundation
import TextRules
import Vapor

struct ComposeCheckRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "networks"]
    var text: String
    var networks: [String]
}

/// `{"results": {"x": {"length", "limit", "valid", "facets", "problems"}, …}}`.
struct ComposeCheckResponse: Content {
    var results: [String: NetworkCheck]

    init(_ checks: [(Network, TextCheck)]) {
        results = Dictionary(uniqueKeysWithValues: checks.map { ($0.0.rawValue, NetworkCheck(check: $0.1)) })
    }

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "answers are not decoded"))
    }
}

/// One network's answer: TextRules' own encoding (`length`, `limit`, `valid`, `facets`) plus
/// the problems as sentences a person can act on.
struct NetworkCheck: Encodable, Sendable {
    struct Problem: Encodable, Sendable {
        var code: String
        var message: String
    }

    var check: TextCheck

    private enum CodingKeys: String, CodingKey { case problems }

    func encode(to encoder: any Encoder) throws {
        try check.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(check.problemMessages.map { Problem(code: $0.code, message: $0.message) }, forKey: .problems)
    }
}
