import Foundation

/// Mastodon's inbox, read from the account's notifications: mentions become replies (when they
/// answer the account), direct messages or mentions; quotes become quotes; favourites, boosts
/// and follows are counted per day. The cursor is the newest notification id read.
public struct MastodonInboxReader: InboxReader {
    /// Pages (of 80) read in one reading; more than that waits for the next (`hasMore`).
    static let mostPagesPerReading = 10
    /// Statuses shown of a conversation, the message itself among them.
    static let longestConversation = 200

    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        let token = try Self.accessToken(of: account)
        let client = MastodonClient(instanceURL: account.server, http: http)
        var notifications: [MastodonNotification] = []
        var newest = cursor
        var hasMore = false
        if let cursor {
            // Forward with `min_id`: each page is the notifications right after the newest one
            // read, so however many came, page after page leaves no gap. (`since_id` answers
            // the newest after it: with more than a page waiting, the older ones would be
            // skipped unless paged back for with `max_id`.)
            var after = cursor
            for page in 1...Self.mostPagesPerReading {
                let answer = try await client.notifications(after: after, accessToken: token)
                // A server that ignores `min_id` answers what was read already: only what is
                // newer counts and moves the cursor, so it cannot make a reading go round.
                let fresh = answer.filter { MastodonID.isNewer($0.id, than: after) }
                guard let top = MastodonID.newest(of: fresh.map(\.id)) else { break }
                notifications += fresh
                after = top
                newest = top
                guard answer.count >= MastodonClient.notificationsPerPage else { break }
                if page == Self.mostPagesPerReading { hasMore = true }
            }
        } else {
            // A channel just connected starts with the newest page, not the account's past.
            notifications = try await client.notifications(after: nil, accessToken: token)
            newest = MastodonID.newest(of: notifications.map(\.id))
        }
        let heard = notifications.filter { $0.account != nil }
        // Only a message's author needs a handle; counts are kept without one.
        let authors = heard.filter { $0.type == "mention" || $0.type == "quote" }.compactMap(\.status?.account)
        let domain = try await handleDomain(needed: authors.contains { Self.isLocal($0) }, client: client)
        var messages: [InboxMessage] = []
        var counts: [String: EngagementCount] = [:]
        for notification in heard.sorted(by: { MastodonID.isNewer($1.id, than: $0.id) }) {
            switch Self.heard(notification, by: account.accountID, domain: domain) {
            case let .message(message)?:
                messages.append(message)
            case let .count(count)?:
                let key = "\(count.kind.rawValue)/\(count.day)/\(count.subject ?? "")"
                counts[key, default: EngagementCount(kind: count.kind, day: count.day, subject: count.subject, count: 0)].count += 1
            case nil:
                break
            }
        }
        let ordered = counts.values.sorted { ($0.day, $0.kind.rawValue, $0.subject ?? "") < ($1.day, $1.kind.rawValue, $1.subject ?? "") }
        return InboxReading(messages: messages, counts: ordered, cursor: newest, hasMore: hasMore)
    }

    public func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        let token = try Self.accessToken(of: account)
        let client = MastodonClient(instanceURL: account.server, http: http)
        let status = try await client.status(remoteID, accessToken: token)
        let context = try await client.context(of: remoteID, accessToken: token)
        // The nearest ancestors and the first answers, up to the bound, half each where both
        // have more.
        let room = Self.longestConversation - 1
        let ancestors = context.ancestors.suffix(min(context.ancestors.count, max(room / 2, room - context.descendants.count)))
        let descendants = context.descendants.sorted { MastodonID.isNewer($1.id, than: $0.id) }.prefix(room - ancestors.count)
        let statuses = Array(ancestors) + [status] + Array(descendants)
        let domain = try await handleDomain(needed: statuses.contains { Self.isLocal($0.account) }, client: client)
        return statuses.map { Self.message(from: $0, kind: Self.kind(of: $0, to: account.accountID), domain: domain) }
    }

    /// Mastodon notifies only the accounts a status mentions: an answer starts with the
    /// author's full handle unless it already names them.
    public func answerText(_ text: String, answering author: InboxAuthor) -> String {
        let handle = "@" + author.handle.drop { $0 == "@" }
        guard handle.count > 1, !Self.text(text, mentions: handle) else { return text }
        return handle + " " + text
    }

    // MARK: What a notification is to an inbox

    enum Heard {
        case message(InboxMessage)
        case count(EngagementCount)
    }

    /// The message or count a notification is; nil for those an inbox does not hear.
    static func heard(_ notification: MastodonNotification, by accountID: String, domain: String) -> Heard? {
        let when = notification.createdAt ?? notification.status?.createdAt ?? Date()
        switch notification.type {
        case "mention":
            guard let status = notification.status else { return nil }
            return .message(message(from: status, kind: kind(of: status, to: accountID), domain: domain))
        case "quote":
            guard let status = notification.status else { return nil }
            // A direct status stays private whatever else it does.
            let kind: InboxMessage.Kind = status.visibility == "direct" ? .message : .quote
            return .message(message(from: status, kind: kind, domain: domain))
        case "favourite":
            return .count(EngagementCount(kind: .like, day: day(of: when), subject: notification.subjectID, count: 1))
        case "reblog":
            return .count(EngagementCount(kind: .repost, day: day(of: when), subject: notification.subjectID, count: 1))
        case "follow":
            return .count(EngagementCount(kind: .follow, day: day(of: when), subject: nil, count: 1))
        default:
            return nil
        }
    }

    /// A direct status is a message even when it answers the account: its answer must stay
    /// direct too. Otherwise it is a reply when it answers the account, else a mention.
    static func kind(of status: MastodonNotification.Status, to accountID: String) -> InboxMessage.Kind {
        if status.visibility == "direct" { return .message }
        return status.inReplyToAccountID == accountID ? .reply : .mention
    }

    static func message(from status: MastodonNotification.Status, kind: InboxMessage.Kind, domain: String) -> InboxMessage {
        InboxMessage(
            remoteID: status.id, kind: kind, author: author(status.account, domain: domain),
            text: StatusText.plain(fromHTML: status.content), html: SafeHTML.sanitize(status.content),
            createdAt: status.createdAt ?? Date(), url: InboxAuthor.webAddress(status.url),
            inReplyTo: kind == .quote ? status.quotedID ?? status.inReplyToID : status.inReplyToID
        )
    }

    static func author(_ account: MastodonAccount, domain: String) -> InboxAuthor {
        let acct = String(account.acct.drop { $0 == "@" })
        return InboxAuthor(
            name: account.displayName.isEmpty ? account.username : account.displayName,
            // A local account's `acct` is its bare username: the instance's domain makes it a handle anyone can use.
            handle: acct.contains("@") ? acct : "\(acct.isEmpty ? account.username : acct)@\(domain)",
            avatarURL: account.avatar, profileURL: account.url
        )
    }

    // MARK: Helpers

    private static func accessToken(of account: PublishingAccount) throws -> String {
        guard let token = account.credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this account.")
        }
        return token
    }

    private static func isLocal(_ account: MastodonAccount?) -> Bool {
        account.map { !$0.acct.drop { $0 == "@" }.contains("@") } ?? false
    }

    /// The domain in the instance's handles, asked only when a local account needs it.
    private func handleDomain(needed: Bool, client: MastodonClient) async throws -> String {
        guard needed else { return client.instanceURL.host ?? "" }
        return try await client.instance().domain ?? client.instanceURL.host ?? ""
    }

    static func day(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// Whether `text` names `handle` (`@user@domain`), in any case, as a whole handle.
    static func text(_ text: String, mentions handle: String) -> Bool {
        let partOfHandle: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "@" }
        var searchFrom = text.startIndex
        while let found = text.range(of: handle, options: [.caseInsensitive], range: searchFrom..<text.endIndex) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            var after = found.upperBound < text.endIndex ? text[found.upperBound] : nil
            // `@ana@bakery.example.` ends a sentence; `@ana@bakery.example.org` is someone else.
            if after == "." || after == "-" {
                let next = text.index(after: found.upperBound)
                after = next < text.endIndex && partOfHandle(text[next]) ? text[next] : nil
            }
            if !(before.map(partOfHandle) ?? false) && !(after.map(partOfHandle) ?? false) { return true }
            searchFrom = found.upperBound
        }
        return false
    }
}

/// Mastodon-compatible ids in the order they were made: Mastodon's are decimal numbers,
/// Pleroma's flake ids and GoToSocial's ULIDs fixed-width strings, so a longer id is newer and
/// ids of one length compare as text.
enum MastodonID {
    static func isNewer(_ id: String, than other: String) -> Bool {
        id.utf8.count != other.utf8.count ? id.utf8.count > other.utf8.count : other.utf8.lexicographicallyPrecedes(id.utf8)
    }

    static func newest(of ids: [String]) -> String? {
        ids.max { isNewer($1, than: $0) }
    }
}
