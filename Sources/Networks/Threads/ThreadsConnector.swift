import Foundation
import TextRules

/// Threads: an account connects by signing in at the operator's Meta app. The sign-in gives a
/// token of an hour, traded at once for one of sixty days, which is renewed in its last week
/// (Threads renews a token at least a day old that has not ended). A post is a container
/// Threads readies — fetching its image or video from Trestle's signed address — then
/// publishes; the container is kept before it is published, so an attempt that ends without
/// an answer resumes from it: published already (found among the account's posts), ready
/// (published now) or expired (made again). Nothing is ever sent twice.
public struct ThreadsConnector: LongLivedTokenSignIn {
    private let http: NetworkHTTPClient
    private let provider: OAuthProvider
    private let containers: MetaContainers

    /// Threads' own addresses.
    public static let provider = OAuthProvider(
        settingName: "THREADS", authorizeURL: URL(string: "https://threads.net/oauth/authorize")!,
        tokenURL: URL(string: "https://graph.threads.net/oauth/access_token")!, apiBase: URL(string: "https://graph.threads.net")!,
        scopes: ["threads_basic", "threads_content_publish", "threads_read_replies", "threads_manage_replies", "threads_manage_insights", "threads_delete"],
        scopeSeparator: ",", clientAuthentication: .body, setupAnchor: "registering-an-app-with-threads"
    )

    /// Threads' paths on another host (`TRESTLE_THREADS_BASE_URL`: a proxy, or a stand-in).
    public static func provider(at base: URL) -> OAuthProvider {
        provider.relocated(to: base, authorizePath: "oauth/authorize", tokenPath: "oauth/access_token")
    }

    /// The most images and videos one post carries (a carousel).
    static let mostMedia = 20

    /// `readyCheck`: how often and how many times a container's state is asked while Threads
    /// readies it.
    public init(http: NetworkHTTPClient, provider: OAuthProvider = ThreadsConnector.provider,
                readyCheck: (interval: Duration, times: Int) = (.seconds(5), 24)) {
        self.http = http
        self.provider = provider
        containers = MetaContainers(readyCheck: readyCheck)
    }

    public var network: Network { .threads }

    public var connecting: Connecting {
        .signingIn(
            title: "Connect a Threads account",
            summary: "Trestle takes you to Threads to sign in and allow it to post, read replies and counts, then brings you back.",
            provider: provider, button: "Connect with Threads"
        )
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        let client = try Self.client(PublishingAccount(server: server, accountID: "", credentials: credentials), http: http)
        let profile = try await client.me()
        return NetworkAccount(remoteID: profile.id, handle: "@\(profile.username)", displayName: profile.name.flatMap { $0.isEmpty ? nil : $0 } ?? "@\(profile.username)",
                              credentials: credentials)
    }

    /// `th_exchange_token` and `th_refresh_token` at the API's host.
    public var longLivedTokens: MetaLongLivedTokens {
        MetaLongLivedTokens(http: http, apiBase: provider.apiBase, grantPrefix: "th", networkName: "Threads")
    }

    /// Threads fetches media itself, from `MediaToPublish.publicURL`: nothing is uploaded.
    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        throw NetworkError.configuration("Threads fetches a post's images and videos from Trestle's address; nothing is uploaded to it.")
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let client = try Self.client(account, http: http)
        let parent = thread?.parent.remoteID
        let published = try await containers.publish(
            part, for: account.accountID, client: client,
            make: { try await makeContainer(part, replyingTo: parent, client: client, user: account.accountID) },
            findEarlier: { try await publishedEarlier(part, replyingTo: parent, client: client, account: account) }
        )
        switch published {
        case let .earlier(found):
            return (found, nil)
        case let .new(id):
            // The post's page, to link to; the post stands without it.
            let permalink = (try? await client.published(id))??.permalink.flatMap(InboxAuthor.webAddress)
            return (PublishedPart(remoteID: id, url: permalink), nil)
        }
    }

    /// The container for a part: its text, and its images or video as one item or a carousel.
    private func makeContainer(_ part: PartToPublish, replyingTo parent: String?, client: ThreadsClient, user: String) async throws -> String {
        var fields: [(String, String)] = [("text", part.text)]
        if let parent { fields.append(("reply_to_id", try ThreadsClient.checkedID(parent))) }
        guard !part.media.isEmpty else { return try await client.makeContainer(for: user, [("media_type", "TEXT")] + fields) }
        guard part.media.count <= Self.mostMedia else {
            throw NetworkError.rejected(status: 422, message: "A Threads post carries at most \(Self.mostMedia) images and videos.")
        }
        if part.media.count == 1 { return try await client.makeContainer(for: user, try Self.item(part.media[0]) + fields) }
        var children: [String] = []
        for media in part.media {
            let child = try await client.makeContainer(for: user, try Self.item(media) + [("is_carousel_item", "true")])
            try await containers.ready(child, client: client)
            children.append(child)
        }
        return try await client.makeContainer(for: user, [("media_type", "CAROUSEL"), ("children", children.joined(separator: ","))] + fields)
    }

    /// An image or video as a container names it: where Threads fetches it, and its description.
    private static func item(_ media: MediaToPublish) throws -> [(String, String)] {
        let address = try MetaContainers.address(of: media, network: "Threads")
        var fields = media.isVideo ? [("media_type", "VIDEO"), ("video_url", address)] : [("media_type", "IMAGE"), ("image_url", address)]
        if !media.altText.isEmpty { fields.append(("alt_text", media.altText)) }
        return fields
    }

    /// The post an earlier attempt published, among the account's posts (or its replies, for
    /// a part that replies) since that attempt.
    private func publishedEarlier(_ part: PartToPublish, replyingTo parent: String?, client: ThreadsClient, account: PublishingAccount) async throws -> PublishedPart? {
        let since = (part.maybeSentSince ?? part.createdAt.addingTimeInterval(-86_400)).addingTimeInterval(-60)
        let posts = try await client.posts(of: account.accountID, replies: parent != nil, since: since, limit: 50)
        return posts.first { $0.text == part.text && (parent == nil || $0.replied_to?.id == parent) }.map {
            PublishedPart(remoteID: $0.id, url: $0.permalink.flatMap(InboxAuthor.webAddress))
        }
    }

    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {
        try await Self.client(account, http: http).deletePost(post.remoteID)
    }

    public var inbox: (any InboxReader)? { ThreadsInboxReader(http: http) }
    public var metrics: (any MetricsReader)? { ThreadsMetricsReader(http: http) }

    static func client(_ account: PublishingAccount, http: NetworkHTTPClient) throws -> ThreadsClient {
        ThreadsClient(apiBase: account.server, accessToken: try account.accessToken(on: "Threads"), http: http)
    }
}
