import Foundation
import TextRules

/// Bluesky: each part an `app.bsky.feed.post` record under the part's own TID, the thread's
/// parts replies naming its first post and the one before. Links, mentions (resolved to DIDs;
/// one that does not resolve stays plain text) and tags become facets; images or a video are
/// uploaded as blobs and embedded with their alt text and aspect ratio.
///
/// Sessions come from `BlueskySessions`, shared with the inbox, so a thread does not log in for
/// every part; the rotated refresh token of a refreshed session is handed back to keep.
public struct BlueskyPublisher: PostPublisher {
    private let http: NetworkHTTPClient
    private let sessions: BlueskySessions

    public init(http: NetworkHTTPClient, sessions: BlueskySessions = BlueskySessions()) {
        self.http = http
        self.sessions = sessions
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let client = BlueskyClient(serviceURL: account.server, http: http)
        let (session, credentials) = try await sessions.session(for: account, client: client)
        do {
            return (try await write(part, thread: thread, session: session, client: client), credentials)
        } catch NetworkError.unauthorized {
            // The access token may have ended early; one fresh session, then the answer stands.
            await sessions.forget(session, of: account)
            let (fresh, rotated) = try await sessions.session(for: account, client: client)
            return (try await write(part, thread: thread, session: fresh, client: client), rotated ?? credentials)
        }
    }

    private func write(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, session: BlueskySession, client: BlueskyClient) async throws -> PublishedPart {
        if part.maybeSentSince != nil, let found = try await client.post(repo: session.did, rkey: part.recordKey, accessJwt: session.accessJwt) {
            return try Self.ours(found, part)
        }
        var facets: [BlueskyFacet] = []
        for facet in BlueskyTextRules().facets(in: part.text) {
            guard case let .mention(handle, _) = facet.features.first else { facets.append(facet); continue }
            if let did = try await client.did(ofHandle: handle) { facets.append(facet.resolved(did: did)) }
        }
        let reply = thread.flatMap { thread in
            thread.root.cid.flatMap { rootCID in
                thread.parent.cid.map { BlueskyPostRecord.Reply(root: .init(uri: thread.root.remoteID, cid: rootCID), parent: .init(uri: thread.parent.remoteID, cid: $0)) }
            }
        }
        var embed: BlueskyEmbed?
        if !part.media.isEmpty {
            var uploaded: [BlueskyEmbed.Image] = []
            for media in part.media {
                let blob = try await client.uploadBlob(media.bytes, mimeType: media.mimeType, accessJwt: session.accessJwt)
                uploaded.append(.init(blob: blob, alt: media.altText, width: media.width, height: media.height))
            }
            embed = part.media.first?.isVideo == true ? .video(uploaded[0]) : .images(uploaded)
        } else if let link = facets.lazy.compactMap({ facet -> String? in
            if case let .link(uri) = facet.features.first { return uri }
            return nil
        }).first {
            embed = await card(for: link, session: session, client: client)
        }
        let record = BlueskyPostRecord(text: part.text, createdAt: part.createdAt, facets: facets, reply: reply, embed: embed)
        do {
            return Self.published(try await client.createPost(record, repo: session.did, rkey: part.recordKey, accessJwt: session.accessJwt))
        } catch let error as NetworkError {
            // A create over a key already taken is refused (often as a 500): the post is there.
            if case .unauthorized = error { throw error }
            if let found = try await client.post(repo: session.did, rkey: part.recordKey, accessJwt: session.accessJwt) {
                return try Self.ours(found, part)
            }
            throw error
        }
    }

    /// The link's card, as Bluesky's own app makes one: the page's title, description and
    /// image (uploaded as the thumb when it is a small enough picture). A page that cannot be
    /// read gives no card; the post goes without one rather than not at all.
    private func card(for link: String, session: BlueskySession, client: BlueskyClient) async -> BlueskyEmbed? {
        guard let url = URL(string: link),
              let page = try? await http.send(.GET, url, headers: ["Accept": "text/html"], timeout: .seconds(10)), page.status == 200,
              let preview = LinkPreview.read(html: page.body, pageURL: url) else { return nil }
        var thumb: BlueskyBlob?
        if let imageURL = preview.imageURL,
           let image = try? await http.send(.GET, imageURL, headers: ["Accept": "image/*"], timeout: .seconds(10)), image.status == 200,
           let type = image.header("Content-Type")?.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
           ["image/jpeg", "image/png", "image/webp", "image/gif"].contains(type), !image.body.isEmpty, image.body.count <= Self.largestThumb {
            thumb = try? await client.uploadBlob(image.body, mimeType: type, accessJwt: session.accessJwt)
        }
        return .external(uri: link, title: preview.title, description: preview.description, thumb: thumb)
    }

    /// `app.bsky.embed.external`'s limit for a card's image.
    static let largestThumb = 1_000_000

    /// The post under the part's record key, when it is the part (an earlier attempt that did go
    /// through); another post under the same key is never taken for it.
    private static func ours(_ found: BlueskyStoredPost, _ part: PartToPublish) throws -> PublishedPart {
        guard found.text == nil || found.text == part.text else {
            throw NetworkError.rejected(status: 409, message: "another post of this account already has this post's record key (\(part.recordKey)); nothing was sent")
        }
        return published(found.ref)
    }

    private static func published(_ ref: BlueskyRecordRef) -> PublishedPart {
        PublishedPart(remoteID: ref.uri, url: ref.webURL, cid: ref.cid)
    }
}
