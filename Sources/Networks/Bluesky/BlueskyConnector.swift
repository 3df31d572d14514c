import Foundation
import TextRules

/// Bluesky, and any PDS that speaks the AT Protocol: a handle and an app password, kept to
/// log in again; sessions shared by everything that calls the service for the account.
public struct BlueskyConnector: NetworkConnector {
    private let http: NetworkHTTPClient
    private let sessions: BlueskySessions

    public init(http: NetworkHTTPClient, sessions: BlueskySessions) {
        self.http = http
        self.sessions = sessions
    }

    public var network: Network { .bluesky }

    public var connecting: Connecting {
        Connecting(
            title: "Connect a Bluesky account",
            summary: "In Bluesky, open Settings → Privacy and security → App passwords and add one for Trestle. Never use your account's own password here.",
            fields: [
                ConnectionField(name: "identifier", label: "Handle", placeholder: "yourshop.bsky.social", autocomplete: "username"),
                ConnectionField(name: "appPassword", label: "App password", isSecret: true, autocomplete: "off"),
                ConnectionField(name: "service", label: "Service address", placeholder: "bsky.social", isOptional: true),
            ],
            fieldsButton: "Connect Bluesky", serverField: "service", secretField: "appPassword"
        )
    }

    public func prepare(_ typed: [String: String]) throws -> (server: URL, credentials: NetworkCredentials) {
        var identifier = typed["identifier"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if identifier.hasPrefix("@") { identifier.removeFirst() }
        let password = typed["appPassword"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var problems: [String: String] = [:]
        if identifier.isEmpty { problems["identifier"] = "Type your handle, such as shop.bsky.social." }
        if password.isEmpty { problems["appPassword"] = "Paste an app password: Bluesky → Settings → Privacy and security → App passwords." }
        guard problems.isEmpty else { throw ConnectionProblems(problems) }
        return (try BlueskyClient.serviceURL(from: typed["service"]), NetworkCredentials(identifier: identifier, appPassword: password))
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        try await BlueskyAccountVerifier(http: http).account(on: server, with: credentials)
    }

    /// A live session: its refresh token rotated when the session had to be refreshed.
    public func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? {
        try await sessions.session(for: account, client: BlueskyClient(serviceURL: account.server, http: http)).credentials
    }

    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        try await withSession(of: account) { session, client in
            let blob = try await client.uploadBlob(media.bytes, mimeType: media.mimeType, accessJwt: session.accessJwt)
            return UploadedMedia(id: blob.ref.link, reference: try JSONEncoder().encode(blob))
        }
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        try await BlueskyPublisher(http: http, sessions: sessions).publish(part, thread: thread, as: account)
    }

    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {
        guard let rkey = BlueskyMetricsReader.recordKey(of: post.remoteID, in: account) else {
            throw NetworkError.unexpectedResponse("“\(post.remoteID.prefix(80))” is not a post of this account's, so Trestle does not delete it.")
        }
        try await withSession(of: account) { session, client in
            try await client.deletePost(repo: session.did, rkey: rkey, accessJwt: session.accessJwt)
        }
    }

    public var inbox: (any InboxReader)? { BlueskyInboxReader(http: http, sessions: sessions) }
    public var metrics: (any MetricsReader)? { BlueskyMetricsReader(http: http, sessions: sessions) }

    /// Runs `call` in the account's session; once more in a fresh one when the service refused
    /// the access token (it can end before its two hours).
    private func withSession<Result>(of account: PublishingAccount, _ call: (BlueskySession, BlueskyClient) async throws -> Result) async throws -> Result {
        let client = BlueskyClient(serviceURL: account.server, http: http)
        let session = try await sessions.session(for: account, client: client).session
        do {
            return try await call(session, client)
        } catch NetworkError.unauthorized {
            await sessions.forget(session, of: account)
            return try await call(try await sessions.session(for: account, client: client).session, client)
        }
    }
}
