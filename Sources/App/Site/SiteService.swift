import Fluent
import Foundation
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
        var query = Delivery.query(on: db)
            .filter(\.$channel.$id == (try site.requireID()))
            .filter(\.$state == .published)
        if let cursor {
            guard let last = try await publishedDelivery(cursor, of: site), let at = last.publishedAt, let id = last.id else {
                throw ServiceError.invalid(["before": "This page of the site is gone; start again from its first page."])
            }
            query = query.group(.or) { or in
                or.filter(\.$publishedAt < at).group(.and) { $0.filter(\.$publishedAt == at).filter(\.$id < id) }
            }
        }
        let deliveries = try await query.sort(\.$publishedAt, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let shown = Array(deliveries.prefix(limit))
        let entries = try await self.entries(from: shown, of: site)
        return (entries, deliveries.count > limit ? entries.last?.id : nil)
    }

    /// One entry of the site, by its id.
    func entry(_ id: String, of site: Channel) async throws -> SiteEntry {
        guard let delivery = try await publishedDelivery(id, of: site), let entry = try await entries(from: [delivery], of: site).first else {
            throw ServiceError.notFound("This entry")
        }
        return entry
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

    /// The deliveries as entries, in their order: their posts and media in one query each.
    private func entries(from deliveries: [Delivery], of site: Channel) async throws -> [SiteEntry] {
        guard !deliveries.isEmpty else { return [] }
        let posts = try await Post.query(on: db).filter(\.$id ~~ deliveries.map { $0.$post.id }).all()
        let postsByID = Dictionary(uniqueKeysWithValues: posts.compactMap { post in post.id.map { ($0, post) } })
        let mediaIDs = Set(posts.flatMap(\.media))
        let items = mediaIDs.isEmpty ? [] : try await MediaItem.query(on: db).filter(\.$id ~~ Array(mediaIDs)).all()
        let itemsByID = Dictionary(uniqueKeysWithValues: items.compactMap { item in item.id.map { ($0, item) } })
        let siteID = try site.requireID()
        return deliveries.compactMap { delivery in
            guard let post = postsByID[delivery.$post.id], let id = delivery.remoteID, let deliveryID = delivery.id else { return nil }
            let publishedAt = delivery.publishedAt ?? delivery.scheduledAt
            let media = post.media.enumerated().compactMap { index, mediaID in
                itemsByID[mediaID].map {
                    SiteMedia(index: index, altText: $0.altText, mimeType: $0.format.mimeType, isVideo: $0.format.isVideo,
                              byteCount: $0.byteCount, width: $0.width, height: $0.height)
                }
            }
            return SiteEntry(
                id: id, deliveryID: deliveryID, publishedAt: publishedAt, updatedAt: max(publishedAt, post.updatedAt ?? publishedAt),
                parts: PostContent(text: post.text, thread: post.thread, variants: post.variants).texts(for: .site, channelID: siteID),
                media: media
            )
        }
    }
}
