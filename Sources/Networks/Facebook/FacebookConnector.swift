import Foundation
import TextRules

/// Facebook Pages: a person signs in with Facebook Login at the operator's Meta app, and
/// chooses which of the Pages they manage the channel posts as; the channel keeps that Page's
/// own token, which does not end (it comes from the person's sixty-day token). Posts go to the
/// Page's feed — text, a photo or several, or a video, each fetched by Facebook from Trestle's
/// signed address. Facebook takes no idempotency key: a post whose outcome is unknown is looked
/// for among the Page's posts before it is sent again.
public struct FacebookConnector: NetworkConnector {
    private let http: NetworkHTTPClient
    private let provider: OAuthProvider

    /// Facebook's own addresses.
    public static let provider = OAuthProvider(
        settingName: "FACEBOOK", authorizeURL: URL(string: "https://www.facebook.com/v23.0/dialog/oauth")!,
        tokenURL: URL(string: "https://graph.facebook.com/v23.0/oauth/access_token")!, apiBase: URL(string: "https://graph.facebook.com")!,
        scopes: ["pages_show_list", "pages_manage_posts", "pages_read_engagement", "pages_manage_engagement", "pages_read_user_content", "read_insights"],
        scopeSeparator: ",", clientAuthentication: .body, setupAnchor: "registering-an-app-with-facebook"
    )

    /// Facebook's paths on another host (`TRESTLE_FACEBOOK_BASE_URL`: a proxy, or a stand-in).
    public static func provider(at base: URL) -> OAuthProvider {
        provider.relocated(to: base, authorizePath: "v23.0/dialog/oauth", tokenPath: "v23.0/oauth/access_token")
    }

    /// The most photos one post carries.
    static let mostPhotos = 10

    public init(http: NetworkHTTPClient, provider: OAuthProvider = FacebookConnector.provider) {
        self.http = http
        self.provider = provider
    }

    public var network: Network { .facebook }

    public var connecting: Connecting {
        .signingIn(
            title: "Connect a Facebook Page",
            summary: "Trestle takes you to Facebook to sign in and allow it to post to your Pages and read their comments and counts; then you choose the Page.",
            provider: provider, button: "Connect with Facebook"
        )
    }

    /// The person's hour-long token traded for their sixty-day one (`fb_exchange_token`), from
    /// which the Pages' tokens do not end.
    public func signedIn(_ tokens: OAuthTokens, app: OAuthApp, now: Date) async throws -> NetworkCredentials {
        var components = URLComponents(url: provider.tokenURL, resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "grant_type", value: "fb_exchange_token"), URLQueryItem(name: "client_id", value: app.clientID),
            URLQueryItem(name: "client_secret", value: app.clientSecret), URLQueryItem(name: "fb_exchange_token", value: tokens.accessToken),
        ]
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let response = try await http.send(.GET, components.url!, headers: ["Accept": "application/json"])
        try MetaGraphAnswer.check(response, network: "Facebook")
        guard let long = OAuthTokenClient.tokens(from: response.body, now: now) else {
            throw NetworkError.unexpectedResponse("Facebook answered the sign-in with something that is not a token.")
        }
        return long.credentials
    }

    /// The Pages the person may post to, each with its own token.
    public func accounts(on server: URL, with credentials: NetworkCredentials) async throws -> [NetworkAccount] {
        let pages = try await Self.client(PublishingAccount(server: server, accountID: "", credentials: credentials), http: http).pages()
        return pages.compactMap { page in
            guard page.tasks?.contains("CREATE_CONTENT") == true, let token = page.access_token, !token.isEmpty, token.utf8.count <= 8_192 else { return nil }
            return Self.account(page, credentials: NetworkCredentials(accessToken: token))
        }
    }

    /// The Page a Page token is for.
    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        Self.account(try await Self.client(PublishingAccount(server: server, accountID: "", credentials: credentials), http: http).page(), credentials: credentials)
    }

    private static func account(_ page: FacebookClient.Page, credentials: NetworkCredentials) -> NetworkAccount {
        let name = String((page.name ?? "").prefix(200))
        let username = page.username.flatMap { $0.isEmpty || $0.count > 100 ? nil : $0 }
        return NetworkAccount(remoteID: page.id, handle: username.map { "@\($0)" } ?? (name.isEmpty ? page.id : name),
                              displayName: name.isEmpty ? "Facebook Page \(page.id)" : name, credentials: credentials)
    }

    /// A Page's token does not end: there is nothing to renew.
    public func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? { nil }

    /// Facebook fetches media itself, from `MediaToPublish.publicURL`: nothing is uploaded first.
    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        throw NetworkError.configuration("Facebook fetches a post's images and videos from Trestle's address; nothing is uploaded to it.")
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let client = try Self.client(account, http: http)
        let page = account.accountID
        // Facebook has no threads: what replies is an answer from the inbox, a comment under the
        // top-level comment of the conversation (or under the post).
        if let thread {
            if part.maybeSentSince != nil, let found = try await client.comments(on: thread.root.remoteID, limit: 100)
                .first(where: { $0.message == part.text && $0.from?.id == page }) {
                return (PublishedPart(remoteID: found.id, url: found.permalink_url.flatMap(InboxAuthor.webAddress)), nil)
            }
            return (PublishedPart(remoteID: try await client.comment(part.text, on: thread.root.remoteID), url: nil), nil)
        }
        if let since = part.maybeSentSince, let found = try await client.posts(of: page, since: since.addingTimeInterval(-60), limit: 50)
            .first(where: { $0.message == part.text }) {
            return (PublishedPart(remoteID: found.id, url: found.permalink_url.flatMap(InboxAuthor.webAddress)), nil)
        }
        let id = try await publishPost(part, on: page, client: client)
        // The post's page, to link to; the post stands without it.
        let permalink = (try? await client.post(id, fields: "id,permalink_url"))??.permalink_url.flatMap(InboxAuthor.webAddress)
        return (PublishedPart(remoteID: id, url: permalink), nil)
    }

    /// The post made: text alone, a photo with its caption, a video with its description, or
    /// photos uploaded unpublished and attached to one post.
    private func publishPost(_ part: PartToPublish, on page: String, client: FacebookClient) async throws -> String {
        guard let first = part.media.first else { return try await client.publishPost(on: page, message: part.text, photos: []) }
        if first.isVideo {
            let video = try await client.video(on: page, url: try MetaContainers.address(of: first, network: "Facebook"), description: part.text)
            return try await client.post(video, fields: "id,post_id")?.post_id.flatMap { try? FacebookClient.checkedPostID($0) } ?? video
        }
        guard part.media.count <= Self.mostPhotos else {
            throw NetworkError.rejected(status: 422, message: "A Facebook post carries at most \(Self.mostPhotos) photos.")
        }
        if part.media.count == 1 {
            return try await client.photo(on: page, url: try MetaContainers.address(of: first, network: "Facebook"), caption: part.text, altText: first.altText, published: true)
        }
        var photos: [String] = []
        for media in part.media {
            photos.append(try await client.photo(on: page, url: try MetaContainers.address(of: media, network: "Facebook"), caption: nil, altText: media.altText, published: false))
        }
        return try await client.publishPost(on: page, message: part.text, photos: photos)
    }

    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {
        try await Self.client(account, http: http).delete(post.remoteID)
    }

    public var inbox: (any InboxReader)? { FacebookInboxReader(http: http) }
    public var metrics: (any MetricsReader)? { FacebookMetricsReader(http: http) }

    static func client(_ account: PublishingAccount, http: NetworkHTTPClient) throws -> FacebookClient {
        FacebookClient(apiBase: account.server, accessToken: try account.accessToken(on: "Facebook"), http: http)
    }
}
