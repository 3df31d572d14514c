import Foundation
import Vapor

/// `{"url", "campaign"}`: a short link made by hand.
struct LinkRequest: APIRequestBody {
    static let fields: Set<String> = ["url", "campaign"]
    var url: String
    var campaign: String?
}

/// A short link with what its clicks add up to: `clicks` are people's, `visitors` the distinct
/// people among them (counted per day), `fetches` the link previews' and crawlers' requests.
struct LinkDTO: Content {
    var id: String
    var url: String
    var shortURL: String
    var campaign: String?
    var clicks: Int
    var visitors: Int
    var fetches: Int
    /// Leads and sales traced to the link's clicks within the attribution window; revenue per
    /// currency.
    var leads: Int
    var sales: Int
    var revenue: [String: Decimal]
    var createdAt: Date?

    init(_ link: ShortLink, counts: LinkService.Counts, base: String) throws {
        id = try link.requireID().uuidString
        url = link.url
        shortURL = "\(base)/l/\(link.code)"
        campaign = link.campaign
        clicks = counts.clicks
        visitors = counts.visitors
        fetches = counts.fetches
        leads = counts.leads
        sales = counts.sales
        revenue = counts.revenueMilli.mapValues { Decimal($0) / 1_000 }
        createdAt = link.createdAt
    }
}
