import Foundation
import NIOHTTP1

/// X's API v2 (`api.x.com`), as one account calls it with its OAuth 2 user token. Errors come
/// back as problem documents `{"title", "detail", "type", "status"}` (or, from older parts,
/// `{"errors": [{"message"}]}`); limits in `x-rate-limit-*` and, for the daily cap on posts,
/// `x-user-limit-24hour-*` headers.
public struct XClient: Sendable {
    public let apiBase: URL
    let http: NetworkHTTPClient
    let accessToken: String

    public init(apiBase: URL, accessToken: String, http: NetworkHTTPClient) {
        self.apiBase = apiBase
        self.accessToken = accessToken
        self.http = http
    }

    func url(_ path: String, _ query: [(String, String)] = []) -> URL {
        var components = URLComponents(url: apiBase.appendingPathComponent(String(path.dropFirst())), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        return components.url!
    }

    var headers: HTTPHeaders { ["Authorization": "Bearer \(accessToken)", "Accept": "application/json"] }

    func get(_ path: String, _ query: [(String, String)] = []) async throws -> NetworkHTTPClient.Response {
        let response = try await http.send(.GET, url(path, query), headers: headers)
        try Self.check(response)
        return response
    }

    func send(_ method: HTTPMethod, _ path: String, json: some Encodable) async throws -> NetworkHTTPClient.Response {
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json")
        let response = try await http.send(method, url(path), headers: headers, body: try JSONEncoder().encode(json))
        try Self.check(response)
        return response
    }

    /// An id X gave (a post, a user, an upload): digits only, so it can go in a path.
    static func checkedID(_ id: String) throws -> String {
        guard !id.isEmpty, id.count <= 40, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw NetworkError.unexpectedResponse("“\(id.prefix(40))” is not an X id.")
        }
        return id
    }

    /// Turns an error status into the publisher's outcomes, with X's own words.
    static func check(_ response: NetworkHTTPClient.Response) throws {
        guard !(200..<300).contains(response.status) else { return }
        let reason = Self.reason(response.body) ?? "no reason given"
        switch response.status {
        case 401:
            throw NetworkError.unauthorized("X refused the access token (\(reason)). Connect the account again.")
        case 429:
            // The daily cap on posts says when it ends in its own header.
            let wait = RetryAfter.seconds(response) ?? response.header("x-user-limit-24hour-reset").flatMap(Double.init).flatMap { reset in
                RetryAfter.bounded(reset - Date().timeIntervalSince1970)
            }
            throw NetworkError.rateLimited(retryAfter: wait)
        case 403 where reason.localizedCaseInsensitiveContains("duplicate"):
            throw NetworkError.rejected(status: 403, message: "X refused it as a duplicate of a recent post: \(reason)")
        case 403 where reason.localizedCaseInsensitiveContains("client-not-enrolled") || reason.localizedCaseInsensitiveContains("access level"):
            throw NetworkError.rejected(status: 403, message: "The operator's X API access does not include this (\(reason)).")
        default:
            throw NetworkError.rejected(status: response.status, message: reason)
        }
    }

    /// What an error body says, in whichever of X's shapes it comes.
    static func reason(_ body: Data) -> String? {
        struct Problem: Decodable {
            struct Item: Decodable { var message: String?; var detail: String? }
            var detail: String?
            var title: String?
            var errors: [Item]?
            var error: String?
            var reason: String?
        }
        guard let problem = try? JSONDecoder().decode(Problem.self, from: body) else { return nil }
        let text = problem.detail ?? problem.errors?.compactMap({ $0.message ?? $0.detail }).first ?? problem.error ?? problem.title
        return text.map { String($0.prefix(300)) + (problem.reason.map { " (\($0.prefix(60)))" } ?? "") }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw NetworkError.unexpectedResponse("X answered something that does not follow its API.")
        }
    }

    /// `{"data": …}`, X's envelope.
    struct Envelope<Value: Decodable>: Decodable {
        var data: Value
    }
}
