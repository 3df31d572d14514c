import Feeds
import Foundation
import Networks

/// Fetches a feed through the guarded fetcher and reads it with `FeedParser`: the one way the
/// preview, subscribing, polling and WebSub pushes turn an address or bytes into a `Feed`.
struct FeedReader: Sendable {
    static let longestURL = 2_000

    let fetcher: FeedFetcher

    enum Outcome: Sendable {
        case notModified
        /// `movedTo`: the feed's new address, when every redirect on the way was permanent.
        case read(Feed, validators: FeedFetcher.Validators, movedTo: URL?)
    }

    /// The address a person typed, or a field error saying what is wrong with it.
    static func address(_ text: String) throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= longestURL, let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            throw ServiceError.invalid(["url": "Give the feed's http:// or https:// address, such as https://example.com/feed.xml."],
                                       message: "That is not a feed address.")
        }
        return url
    }

    func read(_ url: URL, validators: FeedFetcher.Validators = .init()) async throws -> Outcome {
        let fetched: FeedFetcher.Fetched
        do {
            switch try await fetcher.fetch(url, validators: validators) {
            case .notModified: return .notModified
            case let .fetched(answer): fetched = answer
            }
        } catch let error as NetworkError {
            throw Self.problem(error)
        }
        return .read(try Self.parse(fetched.body, url: fetched.url, contentType: fetched.contentType), validators: fetched.validators,
                     movedTo: fetched.movedPermanentlyTo)
    }

    /// Bytes a hub pushed, or a fetch brought, as a feed.
    static func parse(_ body: Data, url: URL, contentType: String?) throws -> Feed {
        do {
            return try FeedParser.parse(body, url: url, contentType: contentType)
        } catch {
            // A page served as HTML is the usual mistake; its parse error would only confuse.
            let sentence = contentType?.lowercased().contains("html") == true
                ? "This is a web page, not a feed: give the address of its RSS, Atom or JSON feed."
                : "This is not a feed: \(error.description)."
            throw ServiceError(kind: .invalid, code: "not_a_feed", message: sentence, fields: ["url": sentence])
        }
    }

    /// A fetch's failure as the person who gave the address sees it.
    static func problem(_ error: NetworkError) -> ServiceError {
        switch error {
        case .refusedAddress, .invalidURL:
            let sentence = error.description
            return ServiceError(kind: .invalid, code: "address_not_allowed", message: "That address is not allowed: \(sentence)", fields: ["url": sentence])
        case .rejected, .unexpectedResponse, .unauthorized:
            return ServiceError(kind: .invalid, code: "feed_unavailable", message: "The feed could not be read: \(error.description)", fields: ["url": error.description])
        default:
            return ServiceError.network(error, field: "url", networkName: "The feed's server")
        }
    }
}
