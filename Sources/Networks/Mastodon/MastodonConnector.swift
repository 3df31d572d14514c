import Foundation
import TextRules

/// Mastodon, and the servers that speak its API (Pleroma, Akkoma, GoToSocial): signing in at
/// the person's own instance, or a pasted access token. Tokens do not expire.
public struct MastodonConnector: NetworkConnector {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public var network: Network { .mastodon }

    public var connecting: Connecting {
        Connecting(
            title: "Connect a Mastodon account",
            summary: "Type your instance's address: Trestle takes you there to sign in and allow it to read your account and post for you, then brings you back. Servers that speak Mastodon's API (Pleroma, Akkoma, GoToSocial) work too.",
            signIn: .atTheirServer(field: ConnectionField(name: "instanceURL", label: "Instance address", placeholder: "mastodon.social", autocomplete: "url"),
                                   button: "Sign in on your instance"),
            fields: [
                ConnectionField(name: "instanceURL", label: "Instance of the token", placeholder: "mastodon.social", autocomplete: "url"),
                ConnectionField(name: "accessToken", label: "Access token", isSecret: true, autocomplete: "off"),
            ],
            fieldsTitle: "Or paste an access token",
            fieldsHint: "On your instance, open Preferences → Development → New application, allow read and write, save, and copy “Your access token”.",
            fieldsButton: "Connect with the token", serverField: "instanceURL", secretField: "accessToken"
        )
    }

    public func prepare(_ typed: [String: String]) throws -> (server: URL, credentials: NetworkCredentials) {
        let instance = typed["instanceURL"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let token = typed["accessToken"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var problems: [String: String] = [:]
        if instance.isEmpty { problems["instanceURL"] = "Type your instance's address, such as mastodon.social." }
        if token.isEmpty { problems["accessToken"] = "Paste an access token from your instance: Preferences → Development → New application." }
        guard problems.isEmpty else { throw ConnectionProblems(problems) }
        return (try MastodonClient.instanceURL(from: instance), NetworkCredentials(accessToken: token))
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        try await MastodonAccountVerifier(http: http).account(on: server, with: credentials)
    }

    /// Mastodon's tokens last until revoked.
    public func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? { nil }

    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        UploadedMedia(id: try await MastodonClient(instanceURL: account.server, http: http).uploadMedia(media, accessToken: try Self.token(account)))
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        try await MastodonPublisher(http: http).publish(part, thread: thread, as: account)
    }

    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {
        try await MastodonClient(instanceURL: account.server, http: http).deleteStatus(post.remoteID, accessToken: try Self.token(account))
    }

    public var inbox: (any InboxReader)? { MastodonInboxReader(http: http) }
    public var inboxStream: (any InboxStream)? { MastodonNotificationStream(http: http) }
    public var metrics: (any MetricsReader)? { MastodonMetricsReader(http: http) }

    static func token(_ account: PublishingAccount) throws -> String {
        guard let token = account.credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this account.")
        }
        return token
    }
}
