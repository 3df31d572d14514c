import Foundation
import NIOHTTP1

/// LinkedIn's versioned REST API (`api.linkedin.com/rest`, with `LinkedIn-Version` and Rest.li
/// 2.0) and its OpenID `userinfo`, as one member's token calls it — for the member or for an
/// organisation they administer. Errors are `{"status", "code", "message"}`; a 429 says no
/// wait, so a day's limit is waited out by the hour.
public struct LinkedInClient: Sendable {
    public let apiBase: URL
    let http: NetworkHTTPClient
    let accessToken: String

    /// The API version Trestle is written against (`YYYYMM`); LinkedIn serves each for a year.
    public static let version = "202611"
    /// How long to wait when LinkedIn throttles without saying: its limits are daily.
    static let throttledWait = 3_600

    public init(apiBase: URL, accessToken: String, http: NetworkHTTPClient) {
        self.apiBase = apiBase
        self.accessToken = accessToken
        self.http = http
    }

    /// `path` under the API, each URN in it percent-encoded as Rest.li asks.
    func url(_ path: String, _ query: [(String, String)] = []) -> URL {
        var components = URLComponents(url: apiBase, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = (components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath) + path
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\($0.0)=\(Self.encoded($0.1))" }.joined(separator: "&")
        }
        return components.url!
    }

    /// A URN or value as it goes in a path or query.
    static func encoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    var headers: HTTPHeaders {
        ["Authorization": "Bearer \(accessToken)", "Accept": "application/json", "LinkedIn-Version": Self.version, "X-Restli-Protocol-Version": "2.0.0"]
    }

    func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json: Data? = nil) async throws -> NetworkHTTPClient.Response {
        var headers = headers
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        let response = try await http.send(method, url(path, query), headers: headers, body: json)
        try Self.check(response)
        return response
    }

    /// Turns an error status into the publisher's outcomes, with LinkedIn's own words.
    static func check(_ response: NetworkHTTPClient.Response) throws {
        guard !(200..<300).contains(response.status) else { return }
        struct Problem: Decodable { var message: String?; var code: String?; var error_description: String? }
        let problem = try? JSONDecoder().decode(Problem.self, from: response.body)
        let reason = String((problem?.message ?? problem?.error_description ?? "no reason given").prefix(300))
        switch response.status {
        case 401:
            throw NetworkError.unauthorized("LinkedIn refused the access token (\(reason)). Connect the account again.")
        case 403 where problem?.code == "ACCESS_DENIED":
            throw NetworkError.unauthorized("LinkedIn did not allow this (\(reason)). Connect the account again and allow what Trestle asks for.")
        case 429:
            throw NetworkError.rateLimited(retryAfter: RetryAfter.seconds(response) ?? throttledWait)
        case 422 where problem?.code == "DUPLICATE_POST":
            throw NetworkError.rejected(status: 422, message: "LinkedIn refused it as a duplicate of a recent post: \(reason)")
        default:
            throw NetworkError.rejected(status: response.status, message: reason)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw NetworkError.unexpectedResponse("LinkedIn answered something that does not follow its API.")
        }
    }

    /// A URN LinkedIn gave (`urn:li:share:…`, `urn:li:comment:(…)`): bounded, of the characters URNs use.
    static func checkedURN(_ urn: String) throws -> String {
        guard urn.hasPrefix("urn:li:"), urn.count <= 200,
              urn.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ":(),_-".contains($0)) }) else {
            throw NetworkError.unexpectedResponse("“\(urn.prefix(60))” is not a LinkedIn URN.")
        }
        return urn
    }

    /// `{"elements": […]}`, Rest.li's list.
    struct Elements<Item: Decodable>: Decodable {
        var elements: [Item]?
    }

    /// The page of a post, to link to.
    static func webURL(of urn: String) -> String { "https://www.linkedin.com/feed/update/\(urn)/" }
}
