import Foundation
import TextRules

/// LinkedIn: a member signs in at the operator's LinkedIn app and chooses whether the channel
/// posts as them or as an organisation they administer (the token is the member's either way;
/// the channel keeps which, as its credentials' identifier). Tokens last sixty days; where
/// LinkedIn gave the app refresh tokens they are renewed in their last week, otherwise the
/// channel asks to be connected again when LinkedIn refuses the ended one. Posts go to
/// `/rest/posts` with the commentary escaped as little text; images and video are put up first.
/// LinkedIn takes no idempotency key: a post whose outcome is unknown is looked for among the
/// author's posts before it is sent again.
public struct LinkedInConnector: NetworkConnector {
    private let http: NetworkHTTPClient
    private let provider: OAuthProvider
    private let readyCheck: (interval: Duration, times: Int)

    /// LinkedIn's own addresses.
    public static let provider = OAuthProvider(
        settingName: "LINKEDIN", authorizeURL: URL(string: "https://www.linkedin.com/oauth/v2/authorization")!,
        tokenURL: URL(string: "https://www.linkedin.com/oauth/v2/accessToken")!, apiBase: URL(string: "https://api.linkedin.com")!,
        scopes: ["openid", "profile", "w_member_social", "r_organization_social", "w_organization_social", "rw_organization_admin"],
        clientAuthentication: .body, setupAnchor: "registering-an-app-with-linkedin"
    )

    /// LinkedIn's paths on another host (`TRESTLE_LINKEDIN_BASE_URL`: a proxy, or a stand-in).
    public static func provider(at base: URL) -> OAuthProvider {
        provider.relocated(to: base, authorizePath: "oauth/v2/authorization", tokenPath: "oauth/v2/accessToken")
    }

    /// The most images one post carries.
    static let mostImages = 20

    /// `readyCheck`: how often and how many times a video's state is asked while LinkedIn
    /// processes it.
    public init(http: NetworkHTTPClient, provider: OAuthProvider = LinkedInConnector.provider,
                readyCheck: (interval: Duration, times: Int) = (.seconds(5), 24)) {
        self.http = http
        self.provider = provider
        self.readyCheck = readyCheck
    }

    public var network: Network { .linkedin }

    public var connecting: Connecting {
        .signingIn(
            title: "Connect LinkedIn",
            summary: "Trestle takes you to LinkedIn to sign in and allow it to post for you and your organisation pages; then you choose which this channel posts as.",
            provider: provider, button: "Connect with LinkedIn"
        )
    }

    public var renewBefore: TimeInterval { 7 * 86_400 }

    /// The member, and each organisation they administer.
    public func accounts(on server: URL, with credentials: NetworkCredentials) async throws -> [NetworkAccount] {
        let client = try Self.client(PublishingAccount(server: server, accountID: "", credentials: credentials), http: http)
        var accounts = [Self.account(try await client.member(), credentials: credentials)]
        for (urn, organization) in try await client.administeredOrganizations() {
            var acting = credentials
            acting.identifier = urn
            accounts.append(Self.account(organization, urn: urn, credentials: acting))
        }
        return accounts
    }

    /// The member, or the organisation the credentials' identifier names.
    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        let client = try Self.client(PublishingAccount(server: server, accountID: "", credentials: credentials), http: http)
        guard let urn = credentials.identifier, urn.hasPrefix("urn:li:organization:") else {
            return Self.account(try await client.member(), credentials: credentials)
        }
        return Self.account(try await client.organization(urn), urn: try LinkedInClient.checkedURN(urn), credentials: credentials)
    }

    private static func account(_ member: LinkedInClient.Member, credentials: NetworkCredentials) -> NetworkAccount {
        let name = String((member.name ?? "").prefix(200))
        return NetworkAccount(remoteID: "urn:li:person:\(member.sub)", handle: name.isEmpty ? member.sub : name,
                              displayName: name.isEmpty ? "LinkedIn member" : name, credentials: credentials)
    }

    private static func account(_ organization: LinkedInClient.Organization, urn: String, credentials: NetworkCredentials) -> NetworkAccount {
        let name = String((organization.localizedName ?? "").prefix(200))
        let vanity = organization.vanityName.flatMap { $0.isEmpty || $0.count > 100 ? nil : $0 }
        return NetworkAccount(remoteID: urn, handle: vanity ?? (name.isEmpty ? urn : name), displayName: name.isEmpty ? "LinkedIn page" : name,
                              credentials: credentials)
    }

    /// Renewed with the refresh token where LinkedIn gave one (it keeps the same one); without,
    /// nothing can be renewed.
    public func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? {
        guard let refreshToken = account.credentials.refreshToken else { return nil }
        guard let app else { throw NetworkError.configuration("LinkedIn is not configured by the operator: TRESTLE_LINKEDIN_CLIENT_ID and TRESTLE_LINKEDIN_CLIENT_SECRET are not set.") }
        var renewed = try await OAuthTokenClient(http: http, provider: provider, app: app, networkName: "LinkedIn").refreshed(refreshToken, now: now).credentials
        renewed.identifier = account.credentials.identifier
        return renewed
    }

    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        let client = try Self.client(account, http: http)
        return UploadedMedia(id: media.isVideo
            ? try await client.uploadVideo(media, owner: account.accountID, readyCheck: readyCheck)
            : try await client.uploadImage(media, owner: account.accountID))
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let client = try Self.client(account, http: http)
        let author = account.accountID
        // LinkedIn has no threads: what replies is an answer from the inbox, a comment on the
        // post under the comment it answers.
        if let thread {
            return (PublishedPart(remoteID: try await client.comment(part.text, as: author, on: thread.root.remoteID, replyingTo: thread.parent.remoteID), url: nil), nil)
        }
        if part.maybeSentSince != nil, let found = try await client.posts(by: author, count: 20).first(where: { ($0.commentary).map(LittleText.unescaped) == part.text }) {
            return (PublishedPart(remoteID: found.id, url: LinkedInClient.webURL(of: found.id)), nil)
        }
        guard part.media.filter({ !$0.isVideo }).count <= Self.mostImages else {
            throw NetworkError.rejected(status: 422, message: "A LinkedIn post carries at most \(Self.mostImages) images.")
        }
        var media: [(urn: String, altText: String)] = []
        for item in part.media { media.append((try await upload(item, as: account).id, item.altText)) }
        let urn = try await client.createPost(author: author, commentary: part.text, media: media)
        return (PublishedPart(remoteID: urn, url: LinkedInClient.webURL(of: urn)), nil)
    }

    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {
        try await Self.client(account, http: http).deletePost(post.remoteID)
    }

    public var inbox: (any InboxReader)? { LinkedInInboxReader(http: http) }
    public var metrics: (any MetricsReader)? { LinkedInMetricsReader(http: http) }

    static func client(_ account: PublishingAccount, http: NetworkHTTPClient) throws -> LinkedInClient {
        LinkedInClient(apiBase: account.server, accessToken: try account.accessToken(on: "LinkedIn"), http: http)
    }
}
