import Fluent
import Foundation
import SQLKit
import TextRules

/// Short links: made by hand or for a delivery's links, resolved for the redirect, and counted.
struct LinkService: Sendable {
    let db: any Database
    let wiring: Wiring

    static let longestURL = 2_048
    static let longestCampaign = 100
    /// Letters and digits: 62⁸ codes, too many to guess one's way to a workspace's links.
    static let codeLength = 8
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// A short link to `url`, made by hand; `campaign` becomes its `utm_campaign`.
    func create(url: String, campaign: String?, in workspace: Workspace) async throws -> ShortLink {
        let destination = try Self.destination(url)
        var problems: [String: String] = [:]
        let campaign = campaign?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let campaign, campaign.unicodeScalars.count > Self.longestCampaign { problems["campaign"] = "Keep a campaign's name under \(Self.longestCampaign) characters." }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The link was not made.") }
        let link = ShortLink(workspaceID: try workspace.requireID(), code: Self.newCode(), url: destination)
        link.campaign = campaign?.isEmpty == false ? campaign : nil
        try await link.create(on: db)
        return link
    }

    /// The workspace's links, newest first.
    func links(in workspace: Workspace, limit: Int = 200) async throws -> [ShortLink] {
        try await ShortLink.query(on: db).filter(\.$workspace.$id == workspace.requireID()).sort(\.$createdAt, .descending).limit(limit).all()
    }

    func link(_ id: UUID, in workspace: Workspace) async throws -> ShortLink {
        guard let link = try await ShortLink.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This link")
        }
        return link
    }

    func delete(_ link: ShortLink) async throws {
        try await (db as! any SQLDatabase).raw("DELETE FROM link_clicks WHERE link_id = \(bind: link.requireID())").run()
        try await link.delete(on: db)
        wiring.linkCache.forget(link.code)
    }

    /// What a link's clicks add up to: people's clicks, the distinct visitors among them (per
    /// day, summed), and the fetchers' requests counted apart.
    struct Counts: Sendable, Equatable {
        var clicks = 0
        var visitors = 0
        var fetches = 0
        var leads = 0
        var sales = 0
        /// Sales' value per currency, in thousandths.
        var revenueMilli: [String: Int64] = [:]
    }

    func counts(of link: ShortLink) async throws -> Counts {
        let row = try await (db as! any SQLDatabase).raw("""
            SELECT SUM(CASE WHEN by_fetcher THEN 0 ELSE 1 END) AS clicks, SUM(CASE WHEN by_fetcher THEN 1 ELSE 0 END) AS fetches,
                   COUNT(DISTINCT CASE WHEN by_fetcher THEN NULL ELSE visitor END) AS visitors
            FROM link_clicks WHERE link_id = \(bind: link.requireID())
            """).first()
        var counts = Counts(clicks: try row?.decode(column: "clicks", as: Int?.self) ?? 0, visitors: try row?.decode(column: "visitors", as: Int?.self) ?? 0,
                            fetches: try row?.decode(column: "fetches", as: Int?.self) ?? 0)
        // A conversion is the click's when it came within the workspace's window after it.
        let window = TimeInterval(try await ConversionService(db: db, wiring: wiring).tracking(of: link.$workspace.get(on: db)).attributionDays * 86_400)
        let conversions = try await (db as! any SQLDatabase).raw("""
            SELECT c.kind, c.currency, c.value_milli, c.occurred_at, k.clicked_at FROM conversions c JOIN link_clicks k ON k.id = c.click_id
            WHERE k.link_id = \(bind: link.requireID()) AND c.workspace_id = \(bind: link.$workspace.id)
            """).all()
        for row in conversions {
            let occurred = try row.decode(column: "occurred_at", as: Date.self), clicked = try row.decode(column: "clicked_at", as: Date.self)
            guard ConversionService.attributes(occurred: occurred, clicked: clicked, window: window) else { continue }
            switch Conversion.Kind(rawValue: try row.decode(column: "kind", as: String.self)) {
            case .lead: counts.leads += 1
            case .sale:
                counts.sales += 1
                if let currency = try row.decode(column: "currency", as: String?.self), let value = try row.decode(column: "value_milli", as: Int64?.self) {
                    counts.revenueMilli[currency, default: 0] &+= value
                }
            case nil: continue
            }
        }
        return counts
    }

    // MARK: Redirect

    /// The link with this code, from the cache when it was read lately.
    func resolve(_ code: String) async throws -> LinkCache.Entry? {
        guard (4...32).contains(code.utf8.count), code.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }) else { return nil }
        let now = wiring.clock.now()
        if let cached = wiring.linkCache.entry(for: code, now: now) { return cached }
        guard let link = try await ShortLink.query(on: db).filter(\.$code == code).first() else { return nil }
        let entry = LinkCache.Entry(id: try link.requireID(), url: link.url, source: link.source?.rawValue ?? "trestle", campaign: link.campaign)
        wiring.linkCache.keep(entry, for: code, now: now)
        return entry
    }

    /// Where a visitor goes: the destination with `utm_source`, `utm_medium` and `utm_campaign`
    /// (those it names itself are kept) and, for a person, the click id as `tc` — added to its
    /// query, before any fragment.
    static func target(of entry: LinkCache.Entry, clickID: String?) -> String {
        var address = Substring(entry.url), fragment: Substring = ""
        if let hash = address.firstIndex(of: "#") {
            fragment = address[hash...]
            address = address[..<hash]
        }
        let query = address.firstIndex(of: "?").map { address[address.index(after: $0)...] } ?? ""
        let named = Set(query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? "" })
        var tags = [("utm_source", entry.source), ("utm_medium", "social")]
        if let campaign = entry.campaign { tags.append(("utm_campaign", campaign)) }
        var added = tags.filter { !named.contains($0.0) }
        if let clickID { added.append(("tc", clickID)) }
        guard !added.isEmpty else { return entry.url }
        let pairs = added.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: queryValue) ?? "")" }.joined(separator: "&")
        let joiner = address.contains("?") ? (address.hasSuffix("?") || address.hasSuffix("&") ? "" : "&") : "?"
        return String(address) + joiner + pairs + fragment
    }

    private static let queryValue = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128))).union(CharacterSet(charactersIn: "-._~"))

    /// A click id: 16 letters and digits.
    static func newClickID() -> String {
        String((0..<16).map { _ in alphabet.randomElement()! })
    }

    static func newCode() -> String {
        String((0..<codeLength).map { _ in alphabet.randomElement()! })
    }

    /// What a destination may be, as the OpenAPI document says it: an http(s) address with a
    /// host, then printable ASCII only (an address with other letters is pasted encoded, as
    /// browsers copy it); no credentials before the host.
    static let urlPattern = #"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"#

    /// `url` as a destination, or a field error.
    static func destination(_ url: String) throws -> String {
        guard url.utf8.count <= longestURL, (try? Regex(urlPattern).wholeMatch(in: url)) != nil else {
            throw ServiceError.invalid(["url": "Give an address that starts with https:// or http://, such as https://shop.example/bread."], message: "The link was not made.")
        }
        return url
    }
}
