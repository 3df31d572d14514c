import Foundation
import TextRules

/// Bluesky: each part an `app.bsky.feed.post` record under the part's own TID, the thread's
/// parts replies naming its first post and the one before. Links, mentions (resolved to DIDs;
/// one that does not resolve stays plain text) and tags become facets; images or a video are
/// uploaded as blobs and embedded with their alt text and aspect ratio.
///
/// Sessions are kept for their two hours, one per account, so a thread does not log in for
/// every part; an expired one is refreshed (the rotated refresh token is handed back to keep),
/// and an expired refresh token falls back to the app password.
public actor BlueskyPublisher: PostPublisher {
    private let http: NetworkHTTPClient
    private var sessions: [String: (session: BlueskySession, until: Date)] = [:]
    private static let sessionLifetime: TimeInterval = 90 * 60

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let client = BlueskyClient(serviceURL: account.server, http: http)
        var (session, credentials) = try await self.session(for: account, client: client)
        do {
            return (try await write(part, thread: thread, session: session, client: client), credentials)
        } catch NetworkError.unauthorized {
            // The access token may have ended early; one fresh session, then the answer stands.
            sessions[account.accountID] = nil
            (session, credentials) = try await self.session(for: account, client: client)
            return (try await write(part, thread: thread, session: session, client: client), credentials)
        }
    }

    private func write(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, session: BlueskySession, client: BlueskyClient) async throws -> PublishedPart {
        if part.maybeSentSince != nil, let found = try await client.post(repo: session.did, rkey: part.recordKey, accessJwt: session.accessJwt) {
            return Self.published(found)
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
                return Self.published(found)
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

    private static func published(_ ref: BlueskyRecordRef) -> PublishedPart {
        PublishedPart(remoteID: ref.uri, url: ref.webURL, cid: ref.cid)
    }

    /// A live session for the account, and the credentials to keep when they changed.
    private func session(for account: PublishingAccount, client: BlueskyClient) async throws -> (BlueskySession, NetworkCredentials?) {
        if let kept = sessions[account.accountID], kept.until > Date() { return (kept.session, nil) }
        var credentials = account.credentials
        var session: BlueskySession?
        if let refresh = credentials.refreshJwt {
            do {
                session = try await client.refreshSession(refreshJwt: refresh)
            } catch NetworkError.unauthorized {
                // Expired or revoked: the app password may still work.
            }
        }
        if session == nil {
            guard let identifier = credentials.identifier, let password = credentials.appPassword else {
                throw NetworkError.unauthorized("Trestle holds no app password for this account.")
            }
            session = try await client.createSession(identifier: identifier, password: password)
        }
        guard let session else { throw NetworkError.unauthorized("Bluesky gave no session.") }
        sessions[account.accountID] = (session, Date().addingTimeInterval(Self.sessionLifetime))
        let rotated = session.refreshJwt != credentials.refreshJwt
        credentials.refreshJwt = session.refreshJwt
        return (session, rotated ? credentials : nil)
    }
}
