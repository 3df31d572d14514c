import Foundation
import TextRules

/// X: an account connects by signing in with OAuth 2 and PKCE at the operator's app, asking to
/// read, write, upload media and stay signed in (`offline.access`). Access tokens last two
/// hours; each refresh token is spent by its first use, so renewals go one at a time per
/// channel (the app's `ChannelService.account(of:)`). X takes no idempotency key: a post whose
/// outcome is unknown is looked for among the account's recent posts before it is sent again.
public struct XConnector: NetworkConnector {
    private let http: NetworkHTTPClient
    private let provider: OAuthProvider

    /// X's own addresses.
    public static let provider = OAuthProvider(
        settingName: "X", authorizeURL: URL(string: "https://x.com/i/oauth2/authorize")!,
        tokenURL: URL(string: "https://api.x.com/2/oauth2/token")!, apiBase: URL(string: "https://api.x.com")!,
        scopes: ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"],
        clientAuthentication: .basic, setupAnchor: "registering-an-app-with-x"
    )

    /// X's paths on another host (`TRESTLE_X_BASE_URL`: a proxy, or a stand-in of X's API).
    public static func provider(at base: URL) -> OAuthProvider {
        provider.relocated(to: base, authorizePath: "i/oauth2/authorize", tokenPath: "2/oauth2/token")
    }

    /// `provider` replaces X's addresses, for a test's loopback fake.
    public init(http: NetworkHTTPClient, provider: OAuthProvider = XConnector.provider) {
        self.http = http
        self.provider = provider
    }

    public var network: Network { .x }

    public var connecting: Connecting {
        .signingIn(
            title: "Connect an X account",
            summary: "Trestle takes you to X to sign in and allow it to post, upload media and read your mentions, then brings you back.",
            provider: provider, button: "Connect with X"
        )
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        let client = try Self.client(PublishingAccount(server: server, accountID: "", credentials: credentials), http: http)
        let user = try await client.me()
        return NetworkAccount(remoteID: user.id, handle: "@\(user.username)", displayName: user.name.isEmpty ? "@\(user.username)" : user.name,
                              credentials: credentials)
    }

    /// Spends the refresh token for a new pair; X answers `invalid_grant` to one spent already.
    public func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? {
        guard let app else { throw NetworkError.configuration("X is not configured by the operator: TRESTLE_X_CLIENT_ID and TRESTLE_X_CLIENT_SECRET are not set.") }
        guard let refreshToken = account.credentials.refreshToken else {
            throw NetworkError.unauthorized("Trestle holds no refresh token for this X account. Connect it again.")
        }
        return try await OAuthTokenClient(http: http, provider: provider, app: app, networkName: "X").refreshed(refreshToken, now: now).credentials
    }

    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        UploadedMedia(id: try await Self.client(account, http: http).uploadMedia(media))
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let client = try Self.client(account, http: http)
        let parent = thread?.parent.remoteID
        if let since = part.maybeSentSince, let found = try await client.recentPost(of: account.accountID, matching: part.text, inReplyTo: parent, since: since) {
            return (PublishedPart(remoteID: found.id, url: XClient.webURL(of: found.id)), nil)
        }
        var mediaIDs: [String] = []
        for media in part.media {
            mediaIDs.append(try await upload(media, as: account).id)
        }
        let post = try await client.createPost(text: part.text, inReplyTo: parent, mediaIDs: mediaIDs)
        return (PublishedPart(remoteID: post.id, url: XClient.webURL(of: post.id)), nil)
    }

    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {
        try await Self.client(account, http: http).deletePost(post.remoteID)
    }

    public var inbox: (any InboxReader)? { XInboxReader(http: http) }
    public var metrics: (any MetricsReader)? { XMetricsReader(http: http) }

    static func client(_ account: PublishingAccount, http: NetworkHTTPClient) throws -> XClient {
        XClient(apiBase: account.server, accessToken: try account.accessToken(on: "X"), http: http)
    }
}
