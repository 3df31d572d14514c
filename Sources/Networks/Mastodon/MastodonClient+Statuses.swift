import Foundation
import NIOHTTP1

/// Posting statuses, exactly once. Every `POST /api/v1/statuses` carries the delivery's
/// `Idempotency-Key`, which Mastodon honours for an hour; since some compatible servers ignore
/// it, a post whose outcome is unknown is first looked for among the account's own recent
/// statuses (`recentStatus(matching:)`) before it is ever sent again.
extension MastodonClient {
    /// Posts one status; `inReplyTo` threads it under an earlier one.
    public func postStatus(
        text: String, inReplyTo: String? = nil, mediaIDs: [String] = [], direct: Bool = false, idempotencyKey: String, accessToken: String
    ) async throws -> MastodonStatus {
        var fields = [("status", text), ("visibility", direct ? "direct" : "public")]
        if let inReplyTo { fields.append(("in_reply_to_id", inReplyTo)) }
        fields += mediaIDs.map { ("media_ids[]", $0) }
        let response = try await http.send(
            .POST, url("/api/v1/statuses"),
            headers: [
                "Authorization": "Bearer \(accessToken)", "Idempotency-Key": idempotencyKey,
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
            ],
            body: Self.formBody(fields)
        )
        try Self.check(response, host: instanceURL.host ?? "")
        return try Self.decode(MastodonStatus.self, response)
    }

    /// Among the account's statuses since `since` (`GET /api/v1/accounts/:id/statuses`, paged
    /// back with `max_id` while they are that recent), the one whose text reads as `text` and
    /// that replies to `inReplyTo`; nil when there is none, so the post can be sent.
    public func recentStatus(
        of accountID: String, matching text: String, inReplyTo: String?, since: Date, accessToken: String
    ) async throws -> MastodonStatus? {
        let wanted = StatusText.comparable(text)
        // A minute of slack for a server clock that runs behind ours.
        let earliest = since.addingTimeInterval(-60)
        var olderThan: String?
        for _ in 0..<Self.mostPagesLookedAt {
            var components = URLComponents(url: url("/api/v1/accounts/\(accountID)/statuses"), resolvingAgainstBaseURL: false)!
            components.queryItems = [URLQueryItem(name: "limit", value: "40")] + (olderThan.map { [URLQueryItem(name: "max_id", value: $0)] } ?? [])
            let response = try await http.send(.GET, components.url!, headers: ["Authorization": "Bearer \(accessToken)", "Accept": "application/json"])
            try Self.check(response, host: instanceURL.host ?? "")
            let page = try Self.decode([MastodonStatus].self, response)
            if let found = page.first(where: { status in
                (status.createdAt.map { $0 >= earliest } ?? true) && status.inReplyToID == inReplyTo
                    && StatusText.comparable(StatusText.plain(fromHTML: status.content)) == wanted
            }) {
                return found
            }
            guard page.count == 40, let last = page.last, let lastDate = last.createdAt, lastDate >= earliest else { return nil }
            olderThan = last.id
        }
        return nil
    }

    /// Deletes one of the account's statuses (`DELETE /api/v1/statuses/:id`); one the instance
    /// no longer has counts as deleted.
    public func deleteStatus(_ id: String, accessToken: String) async throws {
        guard !id.isEmpty, id.count <= 100, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw NetworkError.unexpectedResponse("“\(id.prefix(40))” is not a status id Trestle can ask \(instanceURL.host ?? "the instance") about.")
        }
        let response = try await http.send(.DELETE, url("/api/v1/statuses/\(id)"), headers: ["Authorization": "Bearer \(accessToken)", "Accept": "application/json"])
        if response.status == 404 { return }
        try Self.check(response, host: instanceURL.host ?? "")
    }

    /// An account that posted more than 400 statuses since an attempt is not searched further.
    static let mostPagesLookedAt = 10
}

/// The parts of Mastodon's `Status` entity a delivery keeps.
public struct MastodonStatus: Decodable, Sendable, Equatable {
    public var id: String
    /// The status's page, to link from Trestle.
    public var url: String?
    public var content: String
    public var inReplyToID: String?
    public var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, url, content
        case inReplyToID = "in_reply_to_id"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        inReplyToID = try container.decodeIfPresent(String.self, forKey: .inReplyToID)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt).flatMap(StatusText.instant)
        guard (1...MastodonAccount.longestID).contains(id.utf8.count), (url?.utf8.count ?? 0) <= 2_048 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "status fields out of range"))
        }
    }
}

/// A status's text as Mastodon gives it back (HTML) and as Trestle sent it (plain), brought to
/// one form to compare.
enum StatusText {
    /// Tags dropped, `<br>` and paragraph breaks as line breaks, the five XML entities and
    /// numeric ones decoded. Mastodon keeps a link's full text in hidden spans, so links read
    /// back whole.
    static func plain(fromHTML html: String) -> String {
        var text = html
            .replacingOccurrences(of: "</p><p>", with: "\n\n")
            .replacingOccurrences(of: "<br />", with: "\n").replacingOccurrences(of: "<br/>", with: "\n").replacingOccurrences(of: "<br>", with: "\n")
        var plain = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { plain.append(character) }
        }
        text = plain
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: value)
        }
        return text
    }

    /// Whitespace runs as one space, trimmed: servers differ in the line breaks they keep.
    static func comparable(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
