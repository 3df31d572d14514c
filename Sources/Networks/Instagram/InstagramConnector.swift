import Foundation
import TextRules

/// Instagram: a professional account (business or creator) connects by signing in with
/// Instagram Login at the operator's Meta app. Like Threads, the sign-in's hour-long token is
/// traded for one of sixty days, renewed in its last week, and a post is a container Instagram
/// readies — fetching its images or video from Trestle's signed address — then publishes,
/// resumed from the kept container (`MetaContainers`). Every post carries an image or a video,
/// and a thread is one caption (Instagram has no threads); an answer from the inbox is a reply
/// to the comment.
public struct InstagramConnector: LongLivedTokenSignIn {
    private let http: NetworkHTTPClient
    private let provider: OAuthProvider
    private let containers: MetaContainers

    /// Instagram's own addresses.
    public static let provider = OAuthProvider(
        settingName: "INSTAGRAM", authorizeURL: URL(string: "https://www.instagram.com/oauth/authorize")!,
        tokenURL: URL(string: "https://api.instagram.com/oauth/access_token")!, apiBase: URL(string: "https://graph.instagram.com")!,
        scopes: ["instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_comments", "instagram_business_manage_insights"],
        scopeSeparator: ",", clientAuthentication: .body, setupAnchor: "registering-an-app-with-instagram"
    )

    /// Instagram's paths on another host (`TRESTLE_INSTAGRAM_BASE_URL`: a proxy, or a stand-in).
    public static func provider(at base: URL) -> OAuthProvider {
        provider.relocated(to: base, authorizePath: "oauth/authorize", tokenPath: "oauth/access_token")
    }

    /// The most images and videos one post carries (a carousel).
    static let mostMedia = 10

    /// `readyCheck`: how often and how many times a container's state is asked while
    /// Instagram readies it.
    public init(http: NetworkHTTPClient, provider: OAuthProvider = InstagramConnector.provider,
                readyCheck: (interval: Duration, times: Int) = (.seconds(5), 24)) {
        self.http = http
        self.provider = provider
        containers = MetaContainers(readyCheck: readyCheck)
    }

    public var network: Network { .instagram }

    public var connecting: Connecting {
        .signingIn(
            title: "Connect an Instagram account",
            summary: "For a professional account (business or creator). Trestle takes you to Instagram to sign in and allow it to post, read comments and counts, then brings you back.",
            provider: provider, button: "Connect with Instagram"
        )
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        let profile = try await Self.client(PublishingAccount(server: server, accountID: "", credentials: credentials), http: http).me()
        guard profile.account_type != "PERSONAL" else {
            throw NetworkError.unauthorized("Instagram lets apps publish only for professional accounts. Switch @\(profile.username) to a business or creator account in Instagram's settings, then connect it again.")
        }
        return NetworkAccount(remoteID: profile.user_id, handle: "@\(profile.username)", displayName: profile.name.flatMap { $0.isEmpty ? nil : $0 } ?? "@\(profile.username)",
                              credentials: credentials)
    }

    /// `ig_exchange_token` and `ig_refresh_token` at the API's host.
    public var longLivedTokens: MetaLongLivedTokens {
        MetaLongLivedTokens(http: http, apiBase: provider.apiBase, grantPrefix: "ig", networkName: "Instagram")
    }

    /// Instagram fetches media itself, from `MediaToPublish.publicURL`: nothing is uploaded.
    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        throw NetworkError.configuration("Instagram fetches a post's images and videos from Trestle's address; nothing is uploaded to it.")
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let client = try Self.client(account, http: http)
        // Instagram has no threads: what replies is an answer from the inbox, a reply under the
        // top-level comment of the conversation.
        if let thread {
            return (try await reply(part, under: thread.root.remoteID, client: client, account: account), nil)
        }
        guard !part.media.isEmpty else {
            throw NetworkError.rejected(status: 422, message: "Instagram posts carry an image or a video, and this one has none.")
        }
        let published = try await containers.publish(
            part, for: account.accountID, client: client,
            make: { try await makeContainer(part, client: client, user: account.accountID) },
            findEarlier: {
                let since = (part.maybeSentSince ?? part.createdAt.addingTimeInterval(-86_400)).addingTimeInterval(-60)
                return try await client.media(of: account.accountID, since: since, limit: 50).first { $0.caption == part.text }.map {
                    PublishedPart(remoteID: $0.id, url: $0.permalink.flatMap(InboxAuthor.webAddress))
                }
            }
        )
        switch published {
        case let .earlier(found):
            return (found, nil)
        case let .new(id):
            // The post's page, to link to; the post stands without it.
            let permalink = (try? await client.medium(id))??.permalink.flatMap(InboxAuthor.webAddress)
            return (PublishedPart(remoteID: id, url: permalink), nil)
        }
    }

    /// An answer as the account's reply to a comment. An attempt whose outcome is unknown looks
    /// for the reply first.
    private func reply(_ part: PartToPublish, under comment: String, client: InstagramClient, account: PublishingAccount) async throws -> PublishedPart {
        if part.maybeSentSince != nil, let found = try await client.replies(to: comment, limit: 50).first(where: { $0.text == part.text && $0.from?.id == account.accountID }) {
            return PublishedPart(remoteID: found.id, url: nil)
        }
        return PublishedPart(remoteID: try await client.reply(part.text, to: comment), url: nil)
    }

    /// The container for a post: its caption, and its image or video, or a carousel of them.
    private func makeContainer(_ part: PartToPublish, client: InstagramClient, user: String) async throws -> String {
        guard part.media.count <= Self.mostMedia else {
            throw NetworkError.rejected(status: 422, message: "An Instagram post carries at most \(Self.mostMedia) images and videos.")
        }
        let caption = [("caption", part.text)]
        if part.media.count == 1 { return try await client.makeContainer(for: user, try Self.item(part.media[0], inCarousel: false) + caption) }
        var children: [String] = []
        for media in part.media {
            let child = try await client.makeContainer(for: user, try Self.item(media, inCarousel: true) + [("is_carousel_item", "true")])
            try await containers.ready(child, client: client)
            children.append(child)
        }
        return try await client.makeContainer(for: user, [("media_type", "CAROUSEL"), ("children", children.joined(separator: ","))] + caption)
    }

    /// An image or video as a container names it: a video alone is a reel, in a carousel a video.
    private static func item(_ media: MediaToPublish, inCarousel: Bool) throws -> [(String, String)] {
        let address = try MetaContainers.address(of: media, network: "Instagram")
        guard !media.isVideo else { return [("media_type", inCarousel ? "VIDEO" : "REELS"), ("video_url", address)] }
        return [("image_url", address)] + (media.altText.isEmpty ? [] : [("alt_text", media.altText)])
    }

    /// Instagram does not let apps take posts down.
    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {
        throw NetworkError.rejected(status: 405, message: "Instagram does not let apps take posts down: delete it in the Instagram app.")
    }

    public var inbox: (any InboxReader)? { InstagramInboxReader(http: http) }
    public var metrics: (any MetricsReader)? { InstagramMetricsReader(http: http) }

    static func client(_ account: PublishingAccount, http: NetworkHTTPClient) throws -> InstagramClient {
        InstagramClient(apiBase: account.server, accessToken: try account.accessToken(on: "Instagram"), http: http)
    }
}
