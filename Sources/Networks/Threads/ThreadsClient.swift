import Foundation
import NIOHTTP1

/// Threads' Graph API (`graph.threads.net/v1.0`), as one account calls it with its long-lived
/// user token. The token goes as the `access_token` parameter, as Threads documents it: in
/// the query of a GET or DELETE, in the form body of a POST. Errors are the Graph API's
/// `{"error": {"message", "code", "error_subcode"}}`, read by `MetaGraphAnswer`.
public struct ThreadsClient: Sendable {
    public let apiBase: URL
    let http: NetworkHTTPClient
    let accessToken: String

    static let version = "v1.0"

    public init(apiBase: URL, accessToken: String, http: NetworkHTTPClient) {
        self.apiBase = apiBase
        self.accessToken = accessToken
        self.http = http
    }

    func url(_ path: String, _ query: [(String, String)]) -> URL {
        var components = URLComponents(url: apiBase.appendingPathComponent("\(Self.version)/\(path)"), resolvingAgainstBaseURL: false)!
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` means a space to Graph; spell it out.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    func get(_ path: String, _ query: [(String, String)] = []) async throws -> NetworkHTTPClient.Response {
        let response = try await http.send(.GET, url(path, query + [("access_token", accessToken)]), headers: ["Accept": "application/json"])
        try MetaGraphAnswer.check(response, network: "Threads")
        return response
    }

    /// A GET whose object may be gone: nil when Threads says it does not exist.
    func getIfPresent(_ path: String, _ query: [(String, String)] = []) async throws -> NetworkHTTPClient.Response? {
        let response = try await http.send(.GET, url(path, query + [("access_token", accessToken)]), headers: ["Accept": "application/json"])
        if MetaGraphAnswer.isMissingObject(response) { return nil }
        try MetaGraphAnswer.check(response, network: "Threads")
        return response
    }

    func post(_ path: String, _ form: [(String, String)]) async throws -> NetworkHTTPClient.Response {
        let body = (form + [("access_token", accessToken)]).map { "\(OAuthTokenClient.formEncode($0.0))=\(OAuthTokenClient.formEncode($0.1))" }.joined(separator: "&")
        let response = try await http.send(.POST, url(path, []), headers: ["Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"],
                                           body: Data(body.utf8))
        try MetaGraphAnswer.check(response, network: "Threads")
        return response
    }

    func delete(_ path: String) async throws -> NetworkHTTPClient.Response? {
        let response = try await http.send(.DELETE, url(path, [("access_token", accessToken)]), headers: ["Accept": "application/json"])
        if MetaGraphAnswer.isMissingObject(response) { return nil }
        try MetaGraphAnswer.check(response, network: "Threads")
        return response
    }

    /// An id Threads gave (a user, a container, a post): digits only, so it can go in a path.
    static func checkedID(_ id: String) throws -> String {
        guard !id.isEmpty, id.count <= 40, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw NetworkError.unexpectedResponse("“\(id.prefix(40))” is not a Threads id.")
        }
        return id
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw NetworkError.unexpectedResponse("Threads answered something that does not follow its API.")
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

    /// `{"id": …}`: what making a container or publishing one answers.
    struct Created: Decodable {
        var id: String
    }

    /// `{"id"}` of a post a reply names.
    struct Reference: Decodable {
        var id: String
    }

    /// A post as the API shows it (the fields Trestle asks for).
    struct Post: Decodable {
        var id: String
        var text: String?
        var username: String?
        var permalink: String?
        var timestamp: String?
        var is_reply: Bool?
        var replied_to: Reference?
        var root_post: Reference?
        var is_reply_owned_by_me: Bool?
    }

    /// `{"data": […]}`, the Graph API's list.
    struct Page<Item: Decodable>: Decodable {
        var data: [Item]?
    }

    static let postFields = "id,text,username,permalink,timestamp,is_reply,replied_to,root_post,is_reply_owned_by_me"
}
