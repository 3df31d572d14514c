import Foundation
import TextRules

/// A post or upload as the network names it once media are on it: what a part's publishing
/// attaches.
public struct UploadedMedia: Sendable, Equatable {
    /// The network's id of the upload (a media id, a blob's CID).
    public var id: String
    /// What the network needs beside the id to attach it (a blob's reference, as JSON), where it
    /// needs more than the id.
    public var reference: Data?

    public init(id: String, reference: Data? = nil) {
        self.id = id
        self.reference = reference
    }
}

/// One network, whole: what connecting an account asks of a person, and everything Trestle
/// does with the account — verify it, refresh its credentials, upload media, publish, delete,
/// hear what people say to it, read its counts. Each network is one folder implementing this
/// and one line in the app's registry; the app asks the registry and never switches on the
/// network. Errors are `NetworkError`s.
public protocol NetworkConnector: AccountVerifier, PostPublisher {
    var network: Network { get }

    /// What the Channels page and the connect API ask for.
    var connecting: Connecting { get }

    /// The credentials as a person typed them (the fields `connecting` names), tidied and
    /// checked as far as can be without calling the network; a `ConnectionProblems` names the
    /// fields that are wrong. Networks that connect only by signing in throw it too.
    func prepare(_ typed: [String: String]) throws -> (server: URL, credentials: NetworkCredentials)

    /// The accounts one sign-in can act as, each with its own credentials: the signed-in
    /// account itself on most networks; the Pages a person manages on Facebook. With more than
    /// one, the person chooses which to connect.
    func accounts(on server: URL, with credentials: NetworkCredentials) async throws -> [NetworkAccount]

    /// The credentials to keep from what the network's sign-in gave: the tokens as they are, or
    /// where the sign-in gives a short-lived token (Threads, Instagram), that token traded for
    /// a long-lived one. `app` is the operator's registration.
    func signedIn(_ tokens: OAuthTokens, app: OAuthApp, now: Date) async throws -> NetworkCredentials

    /// How long before they end the credentials are renewed: minutes for tokens that last
    /// hours (X), days for those that last months (Threads' sixty days).
    var renewBefore: TimeInterval { get }

    /// Credentials renewed before they run out (a refresh token spent for a new pair, a
    /// long-lived token extended), or nil when there is nothing to renew. `app` is the
    /// operator's registration, for a network that signs in with OAuth; `now` the time new
    /// tokens' lifetimes count from.
    func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials?

    /// Puts one image or video on the network for a post to attach.
    func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia

    /// Takes a published post (or one part of a thread) off the network. A post that is gone
    /// already counts as deleted.
    func delete(_ post: PublishedPart, as account: PublishingAccount) async throws

    /// How replies, mentions and comments are read, since a cursor; nil where nothing is heard.
    var inbox: (any InboxReader)? { get }

    /// How the network pushes notifications as they happen, where it does.
    var inboxStream: (any InboxStream)? { get }

    /// How the network's own counts of posts and followers are read; nil where it has none.
    var metrics: (any MetricsReader)? { get }
}

extension NetworkConnector {
    public var inboxStream: (any InboxStream)? { nil }

    public func signedIn(_ tokens: OAuthTokens, app: OAuthApp, now: Date) async throws -> NetworkCredentials { tokens.credentials }

    public func accounts(on server: URL, with credentials: NetworkCredentials) async throws -> [NetworkAccount] {
        [try await account(on: server, with: credentials)]
    }

    public var renewBefore: TimeInterval { 5 * 60 }

    /// A network connected only by signing in takes no typed credentials.
    public func prepare(_ typed: [String: String]) throws -> (server: URL, credentials: NetworkCredentials) {
        let name = network.displayName
        let button = if case let .oauth(_, button)? = connecting.signIn { button } else { "Connect" }
        throw ConnectionProblems(["network": "\(name) accounts connect by signing in to \(name): use \(button) on the Channels page."])
    }
}
