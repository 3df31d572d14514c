import Fluent
import Foundation
import SQLKit
import MediaFiles
import Networks
import TextRules

/// One published post on a site: a delivery to the Site channel that is published and whose
/// post still exists (deleting a post deletes its deliveries). A thread is one entry.
struct SiteEntry: Sendable {
    /// The delivery's idempotency key, which `SitePublisher` made its remote id: stable forever.
    var id: String
    var deliveryID: UUID
    var publishedAt: Date
    /// The later of its publication and the post's last edit.
    var updatedAt: Date
    /// The parts of the post as the site shows them, in order.
    var parts: [String]
    var media: [SiteMedia]
}

/// An image or video of an entry, served from the entry's own address.
struct SiteMedia: Sendable {
    var index: Int
    var altText: String
    var mimeType: String
    var isVideo: Bool
    var byteCount: Int
    var width: Int?
    var height: Int?
}

/// The public side of Site channels: a site by its slug, its entries newest first in pages,
/// one entry, and an entry's media. Everything here is public, so it reads only what a site
/// has published.
struct SiteService: Sendable {
    static let pageSize = 20

    let db: any Database

    /// The Site channel at `/s/{slug}`.
    func site(_ slug: String) async throws -> Channel {
        guard SiteSlug.isWellFormed(slug),
              let channel = try await Channel.query(on: db).filter(\.$network == .site).filter(\.$remoteID == slug).first()
        else { throw ServiceError.notFound("This site") }
        return channel
    }

    /// The site's entries newest first: `pageSize` of them, those before the entry `before` when
    /// given (a keyset cursor: an entry's id), and the cursor of the next page if there is one.
    func entries(of site: Channel, before cursor: String? = nil, limit: Int = SiteService.pageSize) async throws -> (entries: [SiteEntry], next: String?) {
        var condition: SQLQueryString = ""
        if let cursor {
            guard let last = try await publishedDelivery(cursor, of: site), let at = last.publishedAt, let id = last.id else {
                throw ServiceError.invalid(["before": "This page of the site is gone; start again from its first page."])
            }
            condition = " AND (d.published_at < \(bind: at) OR (d.published_at = \(bind: at) AND d.id < \(bind: id)))"
        }
        let found = try await entries(of: site, where: condition, limit: limit + 1)
        let entries = Array(found.prefix(limit))
        return (entries, found.count > limit ? entries.last?.id : nil)
    }

    /// One entry of the site, by its id.
    func entry(_ id: String, of site: Channel) async throws -> SiteEntry {
        // Entry ids are lowercase UUIDs; anything else is not looked up.
        guard id.count == 36, UUID(uuidString: id) != nil,
              let entry = try await entries(of: site, where: " AND d.remote_id = \(bind: id)", limit: 1).first
        else { throw ServiceError.notFound("This entry") }
        return entry
    }

    /// A post that a Site showed is being deleted: each such Site changes now, so that a feed
    /// reader asking "modified since?" (without an ETag) fetches the feed again rather than keep
    /// the deleted entry. Runs in the deletion's transaction.
    func postLeaves(_ post: Post, at now: Date) async throws {
        try await (db as! any SQLDatabase).raw("""
            UPDATE channels SET updated_at = \(bind: now)
            WHERE id IN (SELECT channel_id FROM deliveries WHERE post_id = \(bind: post.requireID()) AND network = 'site' AND state = 'published')
            """).run()
    }

    /// The bytes of an entry's `index`th image or video.
    func media(_ index: Int, of entry: SiteEntry) async throws -> (item: SiteMedia, bytes: Data) {
        guard let delivery = try await Delivery.find(entry.deliveryID, on: db),
              let post = try await Post.find(delivery.$post.id, on: db),
              post.media.indices.contains(index), let shown = entry.media.first(where: { $0.index == index }),
              let item = try await MediaItem.find(post.media[index], on: db)
        else { throw ServiceError.notFound("This file") }
        return (shown, try await MediaService(db: db).content(of: item))
    }

    private func publishedDelivery(_ entryID: String, of site: Channel) async throws -> Delivery? {
        // Entry ids are lowercase UUIDs; anything else is not looked up.
        guard entryID.count == 36, UUID(uuidString: entryID) != nil else { return nil }
        return try await Delivery.query(on: db)
            .filter(\.$channel.$id == site.requireID())
            .filter(\.$remoteID == entryID)
            .filter(\.$state == .published)
            .first()
    }

    /// The site's published entries meeting `condition`, newest first, at most `limit`: the
    /// deliveries with their posts in one query read by hand (every page and feed view asks, and
    /// Fluent's reflection over two models was most of its time), then their media in one.
    private func entries(of site: Channel, where condition: SQLQueryString, limit: Int) async throws -> [SiteEntry] {
        let siteID = try site.requireID()
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT d.id, d.remote_id, d.published_at, d.scheduled_at, p.text, p.thread, p.media, p.variants, p.updated_at
            FROM deliveries d JOIN posts p ON p.id = d.post_id
            WHERE d.channel_id = \(bind: siteID) AND d.state = 'published' AND d.remote_id IS NOT NULL\(condition)
            ORDER BY d.published_at DESC, d.id DESC LIMIT \(unsafeRaw: String(max(0, limit)))
            """).all()
        struct Found {
            var id: String, deliveryID: UUID, publishedAt: Date, updatedAt: Date?
            var content: PostContent, media: [UUID]
        }
        let found = try rows.map { row in
            Found(
                id: try row.decode(column: "remote_id", as: String.self), deliveryID: try row.decode(column: "id", as: UUID.self),
                publishedAt: try row.decode(column: "published_at", as: Date?.self) ?? row.decode(column: "scheduled_at", as: Date.self),
                updatedAt: try row.decode(column: "updated_at", as: Date?.self),
                content: PostContent(text: try row.decode(column: "text", as: String.self), thread: try row.decode(column: "thread", as: [String].self),
                                     variants: try row.decode(column: "variants", as: [String: String].self)),
                media: try row.decode(column: "media", as: [UUID].self)
            )
        }
        let mediaIDs = Set(found.flatMap(\.media))
        let items = mediaIDs.isEmpty ? [] : try await MediaItem.query(on: db).filter(\.$id ~~ Array(mediaIDs)).all()
        let itemsByID = Dictionary(uniqueKeysWithValues: items.compactMap { item in item.id.map { ($0, item) } })
        return found.map { entry in
            let media = entry.media.enumerated().compactMap { index, mediaID in
                itemsByID[mediaID].map {
                    SiteMedia(index: index, altText: $0.altText, mimeType: $0.format.mimeType, isVideo: $0.format.isVideo,
                              byteCount: $0.byteCount, width: $0.width, height: $0.height)
                }
            }
            return SiteEntry(
                id: entry.id, deliveryID: entry.deliveryID, publishedAt: entry.publishedAt,
                updatedAt: max(entry.publishedAt, entry.updatedAt ?? entry.publishedAt),
                parts: entry.content.texts(for: .site, channelID: siteID), media: media
            )
        }
    }
}
