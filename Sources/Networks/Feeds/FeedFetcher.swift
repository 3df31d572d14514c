import Foundation
import NIOHTTP1

/// Reads a feed's bytes from anyone's server through the guarded client (invariant 6):
/// conditional GET, gzip, redirects followed by hand one hop at a time with each hop's address
/// checked like the first, at most `maximumBytes` after decompression, and one request per
/// host at a time (`HostGate`).
public struct FeedFetcher: Sendable {
    /// What the server said identifies the version it sent, for the next conditional GET.
    public struct Validators: Sendable, Equatable {
        public var etag: String?
        public var lastModified: String?

        public init(etag: String? = nil, lastModified: String? = nil) {
            self.etag = etag
            self.lastModified = lastModified
        }
    }

    /// A feed's bytes as the server sent them, with what the parser needs to read them.
    public struct Fetched: Sendable {
        public var body: Data
        /// The `Content-Type` header, whose charset the parser honours.
        public var contentType: String?
        /// Where the bytes came from after redirects: relative links resolve against it.
        public var url: URL
        public var validators: Validators
        /// The new address when every redirect on the way said it was permanent (301, 308).
        public var movedPermanentlyTo: URL?
    }

    public enum Outcome: Sendable {
        /// The server answered 304: nothing changed since the validators were given.
        case notModified
        case fetched(Fetched)
    }

    public static let mostRedirects = 5
    public static let maximumBytes = 5 << 20
    /// Longer validators are not kept: no server needs them, and they are stored per feed.
    static let longestValidator = 256

    private let http: NetworkHTTPClient
    private let gate: HostGate
    private let userAgent: String

    public init(http: NetworkHTTPClient, gate: HostGate = HostGate(), userAgent: String = "Trestle feed reader") {
        var http = http
        http.maximumResponseBytes = Self.maximumBytes
        self.http = http
        self.gate = gate
        self.userAgent = userAgent
    }

    /// Fetches `url`, conditionally when `validators` are given. Every failure is a
    /// `NetworkError` in words a person can act on.
    public func fetch(_ url: URL, validators: Validators = Validators()) async throws -> Outcome {
        var headers: HTTPHeaders = [
            "Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": userAgent,
        ]
        if let etag = validators.etag { headers.add(name: "If-None-Match", value: etag) }
        if let lastModified = validators.lastModified { headers.add(name: "If-Modified-Since", value: lastModified) }

        var current = url
        var permanent = true
        for _ in 0...Self.mostRedirects {
            let host = current.host ?? ""
            let response = try await gate.withTurn(at: host) { [http, current, headers] in
                try await http.send(.GET, current, headers: headers)
            }
            switch response.status {
            case 200..<300:
                return .fetched(Fetched(
                    body: response.body, contentType: response.header("Content-Type"), url: current,
                    validators: Validators(etag: Self.validator(response.header("ETag")), lastModified: Self.validator(response.header("Last-Modified"))),
                    movedPermanentlyTo: current != url && permanent ? current : nil
                ))
            case 304:
                return .notModified
            case 301, 302, 303, 307, 308:
                guard let location = response.header("Location"), let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                    throw NetworkError.unexpectedResponse("\(host) answered a redirect (HTTP \(response.status)) without saying where to.")
                }
                guard let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                    throw NetworkError.invalidURL("\(host) redirects the feed to \(String(location.prefix(200))), which is not an http:// or https:// address.")
                }
                permanent = permanent && (response.status == 301 || response.status == 308)
                current = next
            case 401, 403:
                throw NetworkError.rejected(status: response.status, message: "\(host) does not let Trestle read this feed.")
            case 404, 410:
                throw NetworkError.rejected(status: response.status, message: "There is no feed at \(String(current.absoluteString.prefix(300))).")
            case 429:
                throw NetworkError.rateLimited(retryAfter: RetryAfter.seconds(response))
            default:
                throw NetworkError.rejected(status: response.status, message: "\(host) answered HTTP \(response.status) instead of the feed.")
            }
        }
        throw NetworkError.unexpectedResponse("The feed redirects more than \(Self.mostRedirects) times; give its final address.")
    }

    /// A header value worth sending back: printable ASCII and not too long.
    private static func validator(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty, value.count <= longestValidator,
              value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else { return nil }
        return value
    }
}
