import Foundation

/// An image or video that goes with a post, and what describes it to people who cannot see it.
public struct MediaToPublish: Sendable {
    public var bytes: Data
    public var mimeType: String
    public var filename: String
    public var altText: String
    public var isVideo: Bool
    public var width: Int?
    public var height: Int?
    /// Where the network may fetch the file itself (Instagram, Threads): an address of
    /// Trestle's, signed for this file and a while; nil when Trestle has no public address.
    public var publicURL: URL?

    public init(bytes: Data, mimeType: String, filename: String, altText: String, isVideo: Bool, width: Int?, height: Int?, publicURL: URL? = nil) {
        self.publicURL = publicURL
        self.bytes = bytes
        self.mimeType = mimeType
        self.filename = filename
        self.altText = altText
        self.isVideo = isVideo
        self.width = width
        self.height = height
    }
}

/// One part of a post on its way to a network: the first part, or one of the thread's replies.
public struct PartToPublish: Sendable {
    public var text: String
    /// 0 for the post itself, 1… for the parts of its thread.
    public var index: Int
    /// The key a resend carries, so the network makes it the same post (Mastodon's
    /// `Idempotency-Key`), fixed when the delivery was made.
    public var idempotencyKey: String
    /// The record key the part is written under where the network takes one (Bluesky's TID).
    public var recordKey: String
    public var createdAt: Date
    /// When an earlier attempt may already have sent this part and its outcome is unknown (a
    /// timeout, a crash): the network is asked for it before anything is sent again.
    public var maybeSentSince: Date?
    /// The post's images or video; they go with its first part.
    public var media: [MediaToPublish]
    /// An answer to a direct message: seen only by the people it names, never public.
    public var isDirect: Bool = false
    /// What an earlier attempt at this part kept with `keep` (a media container made and not
    /// yet published): the network resumes from it rather than starting again.
    public var checkpoint: String?
    /// Keeps a value for this part before the next step, committed before it returns, so the
    /// next attempt — on this worker or another — gets it as `checkpoint`.
    public var keep: @Sendable (String) async throws -> Void = { _ in }

    public init(text: String, index: Int, idempotencyKey: String, recordKey: String, createdAt: Date, maybeSentSince: Date?, media: [MediaToPublish] = []) {
        self.media = media
        self.text = text
        self.index = index
        self.idempotencyKey = idempotencyKey
        self.recordKey = recordKey
        self.createdAt = createdAt
        self.maybeSentSince = maybeSentSince
    }
}

/// A part as the network keeps it.
public struct PublishedPart: Codable, Sendable, Equatable {
    /// The network's id of the post (a status id, an AT URI).
    public var remoteID: String
    /// Its page, to link to.
    public var url: String?
    /// A content hash a reply must name (Bluesky's CID).
    public var cid: String?

    public init(remoteID: String, url: String?, cid: String? = nil) {
        self.remoteID = remoteID
        self.url = url
        self.cid = cid
    }
}

/// Whose account a post goes to.
public struct PublishingAccount: Sendable {
    public var server: URL
    /// The network's id of the account (Mastodon account id, Bluesky DID).
    public var accountID: String
    public var credentials: NetworkCredentials

    public init(server: URL, accountID: String, credentials: NetworkCredentials) {
        self.server = server
        self.accountID = accountID
        self.credentials = credentials
    }
}

extension PublishingAccount {
    /// The account's access token; without one, the account must be connected again.
    public func accessToken(on network: String) throws -> String {
        guard let token = credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this \(network) account. Connect it again.")
        }
        return token
    }
}

/// One network's way of publishing a post exactly once. Errors are `NetworkError`s, whose
/// cases tell the publisher whether to wait and try again, give up with the network's reason,
/// or ask for the account to be connected again.
public protocol PostPublisher: Sendable {
    /// Publishes `part`, as a reply in the thread that `thread` names when it has one. Returns
    /// the part as published and, when the network rotated them, the credentials to keep.
    func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
}
