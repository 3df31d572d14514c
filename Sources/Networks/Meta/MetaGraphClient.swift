import Foundation
import NIOHTTP1

/// Meta's Graph API as Threads (`graph.threads.net`) and Instagram (`graph.instagram.com`) serve
/// it to one account's token. The token goes as the `access_token` parameter, as both document
/// it: in the query of a GET or DELETE, in the form body of a POST. Errors are
/// `{"error": {"message", "code", "error_subcode"}}`, read by `MetaGraphAnswer`.
struct MetaGraphClient: Sendable {
    let apiBase: URL
    /// The API version in each path: `v1.0`, `v23.0`.
    let version: String
    let accessToken: String
    let http: NetworkHTTPClient
    /// The network's name, in what is said to people.
    let networkName: String

    func url(_ path: String, _ query: [(String, String)]) -> URL {
        var components = URLComponents(url: apiBase.appendingPathComponent("\(version)/\(path)"), resolvingAgainstBaseURL: false)!
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` means a space to Graph; spell it out.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    func get(_ path: String, _ query: [(String, String)] = []) async throws -> NetworkHTTPClient.Response {
        let response = try await http.send(.GET, url(path, query + [("access_token", accessToken)]), headers: ["Accept": "application/json"])
        try MetaGraphAnswer.check(response, network: networkName)
        return response
    }

    /// A GET whose object may be gone: nil when the network says it does not exist.
    func getIfPresent(_ path: String, _ query: [(String, String)] = []) async throws -> NetworkHTTPClient.Response? {
        let response = try await http.send(.GET, url(path, query + [("access_token", accessToken)]), headers: ["Accept": "application/json"])
        if MetaGraphAnswer.isMissingObject(response) { return nil }
        try MetaGraphAnswer.check(response, network: networkName)
        return response
    }

    func post(_ path: String, _ form: [(String, String)]) async throws -> NetworkHTTPClient.Response {
        let body = (form + [("access_token", accessToken)]).map { "\(OAuthTokenClient.formEncode($0.0))=\(OAuthTokenClient.formEncode($0.1))" }.joined(separator: "&")
        let response = try await http.send(.POST, url(path, []), headers: ["Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"],
                                           body: Data(body.utf8))
        try MetaGraphAnswer.check(response, network: networkName)
        return response
    }

    /// A DELETE; nil when the object was gone already.
    func delete(_ path: String) async throws -> NetworkHTTPClient.Response? {
        let response = try await http.send(.DELETE, url(path, [("access_token", accessToken)]), headers: ["Accept": "application/json"])
        if MetaGraphAnswer.isMissingObject(response) { return nil }
        try MetaGraphAnswer.check(response, network: networkName)
        return response
    }

    /// An id `network` gave: digits only, so it can go in a path.
    static func checkedID(_ id: String, network: String) throws -> String {
        guard let id = MetaContainers.checkedID(id) else {
            throw NetworkError.unexpectedResponse("“\(id.prefix(40))” is not a \(network) id.")
        }
        return id
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response, network: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw NetworkError.unexpectedResponse("\(network) answered something that does not follow its API.")
        }
    }

    /// Graph's times: `2026-12-07T10:00:00+0000`.
    static func date(_ text: String) -> Date? {
        guard text.utf8.count <= 40 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    /// `{"id": …}`: what making a container, publishing one or commenting answers.
    struct Created: Decodable {
        var id: String
    }

    /// `{"id"}` of an object another names.
    struct Reference: Decodable {
        var id: String
    }

    /// `{"data": […]}`, the Graph API's list.
    struct Page<Item: Decodable>: Decodable {
        var data: [Item]?
    }

    /// One metric as insights give it: `{"name", "values": [{"value"}]}`, or for an account
    /// `{"name", "total_value": {"value"}}`.
    struct Insight: Decodable {
        struct Value: Decodable { var value: Double? }
        var name: String?
        var values: [Value]?
        var total_value: Value?

        /// The count, when it is a whole number within bounds.
        var count: Int? {
            guard let value = total_value?.value ?? values?.first?.value else { return nil }
            return MetricCount.whole(value)
        }
    }

    /// The counts of insights by name, only those `named`; nil when none is given or one is not
    /// a count.
    static func counts(_ insights: [Insight], named names: [String]) -> [String: Int]? {
        var byName: [String: Int] = [:]
        for insight in insights.prefix(20) {
            guard let name = insight.name, names.contains(name), byName[name] == nil else { continue }
            guard let count = insight.count else { return nil }
            byName[name] = count
        }
        return byName.isEmpty ? nil : byName
    }
}
