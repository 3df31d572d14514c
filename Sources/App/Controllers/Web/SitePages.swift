import Vapor

/// A Site channel's public side: its page of entries, one entry, an entry's media and its
/// three feeds. Public (no sign-in, nothing to post, so no session or CSRF), cached for five
/// minutes and answered 304 when the client has the newest version already.
enum SitePages {
    struct MediaView: Encodable {
        var url: String
        var altText: String
        var isVideo: Bool
        var width: Int?
        var height: Int?
    }

    struct EntryView: Encodable {
        var id: String
        var url: String
        var published: Date
        var publishedText: String
        var html: String
        var media: [MediaView]
    }

    struct SiteContext: Encodable {
        var siteName: String
        var sitePath: String
        /// The page's own title, description and absolute address, for the tab and Open Graph.
        var title: String
        var description: String
        var url: String
        var ogType: String
        var ogImage: String?
        var feeds: SiteAddresses
        var entries: [EntryView]
        /// The next (older) page, when there is one.
        var olderURL: String?
        /// One entry's own page rather than the list.
        var single: Bool
    }

    @Sendable static func page(_ req: Request) async throws -> Response {
        let (service, site, slug) = try await site(req)
        let before = req.query[String.self, at: "before"]
        let (entries, next) = try await service.entries(of: site, before: before)
        let older = next.map { SiteURL.page(slug) + "?before=" + $0 }
        return try await render(req, site: site, slug: slug, entries: entries, older: older, single: false, variant: "page \(before ?? "")")
    }

    @Sendable static func entry(_ req: Request) async throws -> Response {
        let (service, site, slug) = try await site(req)
        let entry = try await service.entry(req.parameters.get("entry") ?? "", of: site)
        return try await render(req, site: site, slug: slug, entries: [entry], older: nil, single: true, variant: "entry")
    }

    /// An entry's image or video, public because the entry is.
    @Sendable static func media(_ req: Request) async throws -> Response {
        let (service, site, _) = try await site(req)
        let entry = try await service.entry(req.parameters.get("entry") ?? "", of: site)
        guard let index = req.parameters.get("index", as: Int.self) else { throw ServiceError.notFound("This file") }
        let (item, bytes) = try await service.media(index, of: entry)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: item.mimeType)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400")
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }

    @Sendable static func rss(_ req: Request) async throws -> Response {
        try await feed(req, variant: "rss", contentType: "application/rss+xml; charset=utf-8") { $0.rss }
    }

    @Sendable static func atom(_ req: Request) async throws -> Response {
        try await feed(req, variant: "atom", contentType: "application/atom+xml; charset=utf-8") { $0.atom }
    }

    @Sendable static func json(_ req: Request) async throws -> Response {
        try await feed(req, variant: "json", contentType: "application/feed+json; charset=utf-8") { try $0.json() }
    }

    // MARK: Helpers

    private static func site(_ req: Request) async throws -> (SiteService, Channel, String) {
        let service = SiteService(db: req.db)
        let slug = req.parameters.get("slug") ?? ""
        return (service, try await service.site(slug), slug)
    }

    private static func feed(_ req: Request, variant: String, contentType: String, write: @escaping @Sendable (SiteFeed) throws -> String) async throws -> Response {
        let (service, site, slug) = try await site(req)
        let entries = try await service.entries(of: site).entries
        let validators = ConditionalGET(variant: variant, entries: entries, site: site)
        return try await validators.response(for: req, contentType: contentType) {
            try write(try SiteFeed(site: site, slug: slug, entries: entries, base: req.publicBaseURL))
        }
    }

    private static func render(_ req: Request, site: Channel, slug: String, entries: [SiteEntry], older: String?, single: Bool, variant: String) async throws -> Response {
        let validators = ConditionalGET(variant: variant, entries: entries, site: site)
        return try await validators.response(for: req, contentType: "text/html; charset=utf-8") {
            let base = req.publicBaseURL
            let addresses = SiteAddresses(slug: slug, base: base)
            let views = entries.map { entry in
                EntryView(
                    id: entry.id, url: SiteURL.entry(slug, entry.id), published: entry.publishedAt,
                    publishedText: DateText.format(entry.publishedAt, "d MMMM yyyy", in: TimeZone(identifier: site.timezone) ?? .gmt),
                    html: SiteHTML.entry(entry.parts),
                    media: entry.media.map {
                        MediaView(url: SiteURL.media(slug, entry: entry.id, index: $0.index), altText: $0.altText, isVideo: $0.isVideo, width: $0.width, height: $0.height)
                    }
                )
            }
            let image = entries.lazy.flatMap { entry in entry.media.filter { !$0.isVideo }.map { SiteURL.media(slug, entry: entry.id, index: $0.index) } }.first
            let first = entries.first.map { SiteHTML.plainText($0.parts) } ?? ""
            let description = first.isEmpty ? "The posts of \(site.name)." : String(first.prefix(200))
            let context = SiteContext(
                siteName: site.name, sitePath: SiteURL.page(slug),
                title: single ? "\(SiteHTML.title(entries.first?.parts ?? [])) · \(site.name)" : site.name,
                description: description, url: single ? base + SiteURL.entry(slug, entries[0].id) : addresses.url,
                ogType: single ? "article" : "website", ogImage: image.map { base + $0 },
                feeds: addresses,
                entries: views, olderURL: older, single: single
            )
            let view = try await req.view.render("site", context)
            return String(buffer: view.data)
        }
    }
}
