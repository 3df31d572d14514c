import Fluent
import Foundation
import Networks
import Vapor

extension ChannelService {
    /// Makes a Site channel: a public page and feeds under `/s/{slug}`, the slug made from the
    /// name and unique across the installation (`-2`, `-3` … on a clash). The slug is the site's
    /// address and its feeds' subscribers follow it, so renaming the channel keeps it, and it is
    /// never handed out again, even once the site is gone.
    func makeSite(named name: String?, timezone: String?, in workspace: Workspace) async throws -> Channel {
        let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var problems: [String: String] = [:]
        if trimmed.isEmpty {
            problems["name"] = "Give the site a name: it titles the page and the feeds, and its address is made from it."
        } else if trimmed.count > FieldRules.maximumNameLength {
            problems["name"] = "Keep the channel's name to \(FieldRules.maximumNameLength) characters."
        }
        var zone: String?
        do {
            zone = try Self.timezone(timezone)
        } catch let error as ServiceError {
            problems.merge(error.fields) { first, _ in first }
        }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The site was not made.") }

        let base = SiteSlug.make(from: trimmed)
        // The unique slug decides a race between two people naming their sites alike at once:
        // the loser takes the next free suffix.
        for _ in 0..<3 {
            let slug = try await freeSlug(from: base)
            let id = UUID()
            let channel = Channel(
                id: id, workspaceID: try workspace.requireID(), network: .site, name: trimmed, handle: SiteURL.page(slug),
                remoteID: slug, serverURL: SiteURL.page(slug), timezone: zone ?? "UTC"
            )
            channel.sealedCredentials = try sealer.seal(NetworkCredentials(), for: id)
            channel.checkedAt = Date()
            do {
                try await db.transaction { db in
                    try await ReservedSlug(slug: slug).create(on: db)
                    try await channel.create(on: db)
                }
                return channel
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
        }
        throw ServiceError.conflict("slug_taken", "Another site took this address at the same moment. Try again.")
    }

    /// `base`, or `base-2`, `base-3` … whichever was never handed out, even to a site since
    /// disconnected.
    private func freeSlug(from base: String) async throws -> String {
        let taken = Set(try await ReservedSlug.query(on: db)
            .group(.or) { $0.filter(\.$slug == base).filter(\.$slug, .custom("LIKE"), "\(base)-%") }
            .all(\.$slug))
        if !taken.contains(base) { return base }
        var suffix = 2
        while taken.contains("\(base)-\(suffix)") { suffix += 1 }
        return "\(base)-\(suffix)"
    }
}

/// A site's address from its name: lowercase ASCII letters and digits joined by single hyphens,
/// accents dropped (`Café Müller` → `cafe-muller`), at most 40 characters; `site` when nothing is left.
enum SiteSlug {
    static let maximumLength = 40

    static func make(from name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var slug = ""
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(scalar)
                if slug.count >= maximumLength { break }
            } else {
                pendingHyphen = true
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "site" : slug
    }

    /// Whether `text` could be a slug, before it is looked up.
    static func isWellFormed(_ text: String) -> Bool {
        !text.isEmpty && text.count <= maximumLength + 8
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// Every address of a site, spelled once: the page, an entry, its media and the three feeds.
enum SiteURL {
    static func page(_ slug: String) -> String { "/s/\(slug)" }
    static func entry(_ slug: String, _ id: String) -> String { "/s/\(slug)/\(id)" }
    static func media(_ slug: String, entry id: String, index: Int) -> String { "/s/\(slug)/\(id)/media/\(index)" }
    static func rss(_ slug: String) -> String { "/s/\(slug)/rss.xml" }
    static func atom(_ slug: String) -> String { "/s/\(slug)/atom.xml" }
    static func json(_ slug: String) -> String { "/s/\(slug)/feed.json" }
}

/// A site's page and its three feeds as absolute addresses: the API's `"site"` object, and the
/// links the page and the feeds give to each other.
struct SiteAddresses: Content {
    var url: String
    var rss: String
    var atom: String
    var json: String

    /// `base` is where people reach Trestle (`Request.publicBaseURL`).
    init(slug: String, base: String) {
        url = base + SiteURL.page(slug)
        rss = base + SiteURL.rss(slug)
        atom = base + SiteURL.atom(slug)
        json = base + SiteURL.json(slug)
    }
}
