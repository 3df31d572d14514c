import Fluent
import Foundation
import SQLKit
import TextRules

/// Puts a short link in place of every http(s) link of a delivery's text, so each click is
/// traced to the delivery, post and channel it came through. Made when the delivery is
/// published, one short link per delivery and address, kept: a retry sends the same text.
/// Only where Trestle knows its own public address (`TRESTLE_PUBLIC_URL`), the workspace has
/// short links on (the default) and the post did not turn them off; never on a Site channel,
/// whose page is the business's own.
struct LinkShortener: Sendable {
    let db: any Database
    let wiring: Wiring

    /// Whether the post's links are shortened on `channel`.
    func applies(to post: Post, on channel: Channel) async throws -> Bool {
        guard wiring.publicURL != nil, channel.network != .site, post.shortensLinks, post.answersItemID == nil else { return false }
        return try await shortens(workspaceID: post.$workspace.id)
    }

    /// Whether the workspace has short links on (the default).
    func workspaceShortens(_ workspace: Workspace) async throws -> Bool {
        try await shortens(workspaceID: workspace.requireID())
    }

    private func shortens(workspaceID: UUID) async throws -> Bool {
        let row = try await (db as! any SQLDatabase).raw("SELECT shortens_links FROM workspace_tracking WHERE workspace_id = \(bind: workspaceID)").first()
        return try row?.decode(column: "shortens_links", as: Bool.self) ?? true
    }

    /// `texts` with each link replaced by the delivery's short link for it.
    func shorten(_ texts: [String], of delivery: Delivery, post: Post, channel: Channel) async throws -> [String] {
        // Found first: a text without links (most posts) costs no query on the way out.
        let found = texts.map(Self.links(in:))
        guard found.contains(where: { !$0.isEmpty }), let base = wiring.publicURL?.absoluteString.trimmingSuffix("/"),
              try await applies(to: post, on: channel) else { return texts }
        let deliveryID = try delivery.requireID()
        var known = Dictionary(
            try await ShortLink.query(on: db).filter(\.$deliveryID == deliveryID).all().map { ($0.url, $0.code) }, uniquingKeysWith: { first, _ in first }
        )
        let campaign = try await campaign(of: post)
        var shortened: [String] = []
        for (text, links) in zip(texts, found) {
            var replacements: [(link: FoundLink, with: String)] = []
            for link in links {
                if let code = known[link.url] {
                    replacements.append((link, "\(base)/l/\(code)"))
                    continue
                }
                guard (try? LinkService.destination(link.url)) != nil else { continue }
                let made = ShortLink(workspaceID: post.$workspace.id, code: LinkService.newCode(), url: link.url)
                made.source = channel.network
                made.campaign = campaign
                made.deliveryID = deliveryID
                made.postID = try post.requireID()
                made.channelID = try channel.requireID()
                try await made.create(on: db)
                known[link.url] = made.code
                replacements.append((link, "\(base)/l/\(made.code)"))
            }
            shortened.append(Self.replacing(replacements, in: text))
        }
        return shortened
    }

    /// The campaign a post's links are tagged with: its own, else the feed's title it came
    /// from, else its library category's name.
    private func campaign(of post: Post) async throws -> String? {
        if let campaign = post.campaign, !campaign.isEmpty { return campaign }
        let postID = try post.requireID()
        return try await PostOrigin.of([postID], on: db as! any SQLDatabase)[postID]?.campaign
    }

    /// A link in a text: its place in Unicode scalars, and the address as written.
    struct FoundLink: Sendable {
        var start: Int
        var end: Int
        var url: String
    }

    /// The http(s) links of `text`, as Mastodon finds them (with their scheme), in order.
    static func links(in text: String) -> [FoundLink] {
        let entities = TextRulesCatalog.standard.check(text, for: [.mastodon])[.mastodon]?.entities.filter { $0.kind == .url } ?? []
        guard !entities.isEmpty else { return [] }
        let scalars = Array(text.unicodeScalars)
        var links: [FoundLink] = [], at = 0
        for entity in entities.sorted(by: { $0.start < $1.start }) where entity.start >= at && entity.end <= scalars.count {
            let url = String(String.UnicodeScalarView(scalars[entity.start..<entity.end]))
            let lowered = url.lowercased()
            guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { continue }
            links.append(FoundLink(start: entity.start, end: entity.end, url: url))
            at = entity.end
        }
        return links
    }

    static func replacing(_ replacements: [(link: FoundLink, with: String)], in text: String) -> String {
        guard !replacements.isEmpty else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView(), at = 0
        for (link, replacement) in replacements {
            result.append(contentsOf: scalars[at..<link.start])
            result.append(contentsOf: replacement.unicodeScalars)
            at = link.end
        }
        result.append(contentsOf: scalars[at...])
        return String(result)
    }

    /// `texts` as they will read once shortened, for counting before anything is made: each
    /// link stands in as a short link under `base`.
    static func standIn(_ texts: [String], base: String) -> [String] {
        let standIn = base + "/l/" + String(repeating: "x", count: LinkService.codeLength)
        return texts.map { text in replacing(links(in: text).map { ($0, standIn) }, in: text) }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
