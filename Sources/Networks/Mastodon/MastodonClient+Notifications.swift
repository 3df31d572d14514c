import Foundation
import NIOHTTP1

/// Hearing what people say to an account: its notifications (`GET /api/v1/notifications`), a
/// status and its conversation (`GET /api/v1/statuses/:id` and `…/context`), and where the
/// instance streams. Every answer is read within bounds: it comes from any server at all.
extension MastodonClient {
    /// Mastodon's largest page of notifications.
    static let notificationsPerPage = 80
    /// A page longer than this is no Mastodon answer, however the server reads `limit`.
    static let mostNotificationsPerPage = 1_000
    /// Mastodon gives up to 4,096 statuses of context; an inbox shows far fewer.
    static let mostStatusesInContext = 5_000

    /// One page of the account's notifications, newest first as Mastodon orders them: with
    /// `minID`, those immediately after it; without, the newest.
    func notifications(after minID: String?, accessToken: String) async throws -> [MastodonNotification] {
        var components = URLComponents(url: url("/api/v1/notifications"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "limit", value: String(Self.notificationsPerPage))]
            + (minID.map { [URLQueryItem(name: "min_id", value: $0)] } ?? [])
        let response = try await http.send(.GET, components.url!, headers: Self.bearer(accessToken))
        try Self.check(response, host: instanceURL.host ?? "")
        let page = try Self.decode([MastodonNotification].self, response)
        guard page.count <= Self.mostNotificationsPerPage else {
            throw NetworkError.unexpectedResponse("\(instanceURL.host ?? "The instance") sent \(page.count) notifications for a page of \(Self.notificationsPerPage).")
        }
        return page
    }

    /// One status the account can see.
    func status(_ id: String, accessToken: String) async throws -> MastodonNotification.Status {
        let response = try await http.send(.GET, url("/api/v1/statuses/\(try Self.pathSafe(id))"), headers: Self.bearer(accessToken))
        try Self.check(response, host: instanceURL.host ?? "")
        return try Self.decode(MastodonNotification.Status.self, response)
    }

    /// The statuses a status answers (oldest first) and those that answer it.
    func context(of id: String, accessToken: String) async throws -> MastodonContext {
        let response = try await http.send(.GET, url("/api/v1/statuses/\(try Self.pathSafe(id))/context"), headers: Self.bearer(accessToken))
        try Self.check(response, host: instanceURL.host ?? "")
        let context = try Self.decode(MastodonContext.self, response)
        guard context.ancestors.count + context.descendants.count <= Self.mostStatusesInContext else {
            throw NetworkError.unexpectedResponse("\(instanceURL.host ?? "The instance") sent a conversation longer than Mastodon ever gives.")
        }
        return context
    }

    /// The base the instance streams from: its `streaming` address with `wss`/`ws` read as
    /// `https`/`http` (server-sent events are plain HTTP), or the instance itself.
    func streamingBase(of instance: MastodonInstance) -> URL {
        guard let named = instance.streamingURL, var components = URLComponents(string: named), components.host?.isEmpty == false else { return instanceURL }
        switch components.scheme?.lowercased() {
        case "wss", "https": components.scheme = "https"
        case "ws", "http": components.scheme = "http"
        default: return instanceURL
        }
        components.path = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.query = nil
        components.fragment = nil
        return components.url ?? instanceURL
    }

    static func bearer(_ accessToken: String) -> HTTPHeaders {
        ["Authorization": "Bearer \(accessToken)", "Accept": "application/json"]
    }

    /// An id as a path segment. Mastodon's ids are digits, Pleroma's and GoToSocial's letters
    /// and digits; anything else would change the path it is put in.
    static func pathSafe(_ id: String) throws -> String {
        guard (1...MastodonAccount.longestID).contains(id.utf8.count),
              id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) || $0 == 0x2D || $0 == 0x5F }) else {
            throw NetworkError.invalidURL("\(id.prefix(40)) is not a status id.")
        }
        return id
    }
}

/// The part of Mastodon's `Notification` entity an inbox reads. Only what an inbox shows must be
/// well-formed — a mention's or quote's status, the account of anything heard: a like's status
/// is read no further than its id, and a server's other kinds (reports, polls, its own
/// extensions) no further than their own id, so none of them can hold up the inbox.
struct MastodonNotification: Decodable, Sendable {
    static let heard: Set<String> = ["mention", "quote", "favourite", "reblog", "follow"]

    var id: String
    var type: String
    var createdAt: Date?
    var account: MastodonAccount?
    /// A mention's or quote's status.
    var status: Status?
    /// The account's status a like or boost is about.
    var subjectID: String?

    enum CodingKeys: String, CodingKey {
        case id, type, account, status
        case createdAt = "created_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        guard (1...MastodonAccount.longestID).contains(id.utf8.count), type.utf8.count <= 64 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "notification fields out of range"))
        }
        // A date in an odd shape is a date unknown, not a notification lost.
        createdAt = try? container.decodeIfPresent(String.self, forKey: .createdAt).flatMap(StatusText.instant)
        guard Self.heard.contains(type) else { return }
        account = try container.decode(MastodonAccount.self, forKey: .account)
        if type == "mention" || type == "quote" {
            status = try container.decodeIfPresent(Status.self, forKey: .status)
        } else {
            // `try?`: a count is kept without its subject rather than not at all.
            subjectID = (try? container.decodeIfPresent(Subject.self, forKey: .status))?.id
        }
    }

    private struct Subject: Decodable {
        var id: String?
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id).flatMap { (1...MastodonAccount.longestID).contains($0.utf8.count) ? $0 : nil }
        }
    }

    /// The part of Mastodon's `Status` entity an inbox shows.
    struct Status: Decodable, Sendable {
        var id: String
        var createdAt: Date?
        var inReplyToID: String?
        var inReplyToAccountID: String?
        /// `public`, `unlisted`, `private` or `direct`.
        var visibility: String
        var url: String?
        /// HTML, at most `SafeHTML.longestInput` bytes of it.
        var content: String
        var account: MastodonAccount
        /// The status it quotes, where it quotes one (Mastodon 4.5's `quote`, Akkoma's `quote_id`).
        var quotedID: String?

        enum CodingKeys: String, CodingKey {
            case id, visibility, url, content, account, quote
            case createdAt = "created_at"
            case inReplyToID = "in_reply_to_id"
            case inReplyToAccountID = "in_reply_to_account_id"
            case quoteID = "quote_id"
        }

        /// Mastodon's `Quote` (`quoted_status`), its `ShallowQuote` (`quoted_status_id`), or
        /// Akkoma's quoted status itself (`id`).
        private struct Quote: Decodable {
            struct Quoted: Decodable { var id: String }
            var quotedStatus: Quoted?
            var quotedStatusID: String?
            var id: String?
            enum CodingKeys: String, CodingKey {
                case id
                case quotedStatus = "quoted_status"
                case quotedStatusID = "quoted_status_id"
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            createdAt = try? container.decodeIfPresent(String.self, forKey: .createdAt).flatMap(StatusText.instant)
            inReplyToID = try container.decodeIfPresent(String.self, forKey: .inReplyToID)
            inReplyToAccountID = try container.decodeIfPresent(String.self, forKey: .inReplyToAccountID)
            visibility = try container.decodeIfPresent(String.self, forKey: .visibility) ?? "public"
            url = try container.decodeIfPresent(String.self, forKey: .url).flatMap { $0.utf8.count <= 2_048 ? $0 : nil }
            let html = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
            content = html.utf8.count <= SafeHTML.longestInput ? html : String(decoding: html.utf8.prefix(SafeHTML.longestInput), as: UTF8.self)
            account = try container.decode(MastodonAccount.self, forKey: .account)
            // `try?`: a quote in a shape Trestle does not know still leaves the status readable;
            // only its link to the quoted post is missing.
            let quote = try? container.decodeIfPresent(Quote.self, forKey: .quote)
            let quoteID = try? container.decodeIfPresent(String.self, forKey: .quoteID)
            quotedID = (quote?.quotedStatus?.id ?? quote?.quotedStatusID ?? quote?.id ?? quoteID).flatMap { $0.utf8.count <= MastodonAccount.longestID ? $0 : nil }
            guard (1...MastodonAccount.longestID).contains(id.utf8.count), (inReplyToID?.utf8.count ?? 0) <= MastodonAccount.longestID,
                  (inReplyToAccountID?.utf8.count ?? 0) <= MastodonAccount.longestID, visibility.utf8.count <= 32 else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "status fields out of range"))
            }
        }
    }
}

/// Mastodon's `Context` entity: a status's ancestors, oldest first, and its descendants.
struct MastodonContext: Decodable, Sendable {
    var ancestors: [MastodonNotification.Status]
    var descendants: [MastodonNotification.Status]
}
