import Foundation

/// Mastodon: each part a status, the thread's parts replies to the one before, every request
/// with the part's `Idempotency-Key`; a part whose outcome is unknown is first looked for among
/// the account's statuses, for servers that ignore the key. Media are uploaded (again, on a
/// retry: an unattached upload is the instance's to clear) and attached to the first part.
public struct MastodonPublisher: PostPublisher {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        guard let token = account.credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this account.")
        }
        let client = MastodonClient(instanceURL: account.server, http: http)
        let parent = thread?.parent.remoteID
        if let since = part.maybeSentSince,
           let found = try await client.recentStatus(of: account.accountID, matching: part.text, inReplyTo: parent, since: since, accessToken: token) {
            return (PublishedPart(remoteID: found.id, url: found.url), nil)
        }
        var mediaIDs: [String] = []
        for media in part.media {
            mediaIDs.append(try await client.uploadMedia(media, accessToken: token))
        }
        let status = try await client.postStatus(text: part.text, inReplyTo: parent, mediaIDs: mediaIDs, direct: part.isDirect, idempotencyKey: part.idempotencyKey, accessToken: token)
        return (PublishedPart(remoteID: status.id, url: status.url), nil)
    }
}
