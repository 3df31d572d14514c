import Crypto
import Foundation
import Vapor

/// What a client may have kept of a public page or feed: an `ETag` over the entries it shows
/// and when the newest of them changed. A client that has it gets `304 Not Modified`, and every
/// answer may be kept by caches for five minutes.
struct ConditionalGET: Sendable {
    static let cacheControl = "public, max-age=300"

    var etag: String
    var lastModified: Date

    /// The validators of a representation of `site` made of `entries`: their ids and last
    /// changes, and the site's own (its name titles every page and feed), so an edit, a new or
    /// deleted entry and a renamed site each change the tag. `variant` tells representations apart.
    init(variant: String, entries: [SiteEntry], site: Channel) {
        let siteChanged = site.updatedAt ?? site.createdAt ?? Date(timeIntervalSince1970: 0)
        var hasher = SHA256()
        hasher.update(data: Data("\(variant)\n\(site.name)\n\(siteChanged.timeIntervalSince1970)".utf8))
        for entry in entries {
            hasher.update(data: Data("\n\(entry.id) \(entry.updatedAt.timeIntervalSince1970)".utf8))
        }
        etag = "\"" + hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        lastModified = max(entries.map(\.updatedAt).max() ?? siteChanged, siteChanged)
    }

    /// Whether the request's `If-None-Match` (or, without one, `If-Modified-Since`) says the
    /// client holds this version (RFC 9110 §13.2.2).
    func isFresh(for request: Request) -> Bool {
        if let match = request.headers.first(name: .ifNoneMatch) {
            return match.split(separator: ",").contains { tag in
                let tag = tag.trimmingCharacters(in: .whitespaces)
                return tag == "*" || tag == etag || tag == "W/" + etag
            }
        }
        guard let since = request.headers.first(name: .ifModifiedSince).flatMap(Self.parseHTTPDate) else { return false }
        return lastModified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
    }

    /// `body` with the validators and caching headers, or an empty 304 when the client has it
    /// (and `body` is never made).
    func response(for request: Request, contentType: String, body: () async throws -> String) async throws -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: .lastModified, value: Self.httpDate(lastModified))
        headers.replaceOrAdd(name: .cacheControl, value: Self.cacheControl)
        if isFresh(for: request) { return Response(status: .notModified, headers: headers) }
        headers.replaceOrAdd(name: .contentType, value: contentType)
        return Response(status: .ok, headers: headers, body: .init(string: try await body()))
    }

    static func httpDate(_ date: Date) -> String {
        DateText.format(date, "EEE, dd MMM yyyy HH:mm:ss 'GMT'", in: TimeZone(identifier: "GMT")!, locale: "en_US_POSIX")
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`); anything else is no date.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
