import Foundation
import SQLKit
import Vapor

/// `/l/{code}`: sends the visitor on to the link's destination with its UTM tags and a click
/// id, and counts the click without waiting for the database. The destination is always the
/// one stored with the link, never anything the request says, so no one can use Trestle to
/// send people elsewhere.
enum ShortLinkRedirect {
    @Sendable static func follow(_ req: Request) async throws -> Response {
        let service = req.wiring.links(on: req.db)
        guard let code = req.parameters.get("code"), let entry = try await service.resolve(code) else {
            throw AppError.notFound("This link")
        }
        let now = req.wiring.clock.now()
        let userAgent = req.headers.first(name: .userAgent)
        let byFetcher = LinkFetchers.isFetcher(method: req.method.rawValue, userAgent: userAgent)
        let clickID = LinkService.newClickID()
        let settings = req.application.settings
        let visitor = try await req.wiring.visitorSalts.visitor(
            address: req.clientAddress ?? "", userAgent: userAgent ?? "", on: VisitorSalts.day(of: now), db: req.db as! any SQLDatabase
        )
        req.wiring.clicks.record(ClickRecorder.Click(
            id: clickID, linkID: entry.id, at: now, byFetcher: byFetcher, visitor: visitor,
            referrer: settings.keepsReferrers ? req.headers.first(name: .referer).map { String($0.prefix(500)) } : nil,
            country: settings.countryHeader.flatMap { req.headers.first(name: $0) }.map { String($0.prefix(8)) }
        ))
        // A preview fetcher gets no click id: it never buys anything.
        let response = Response(status: .found)
        response.headers.replaceOrAdd(name: .location, value: LinkService.target(of: entry, clickID: byFetcher ? nil : clickID))
        // Every visit must reach Trestle to be counted.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
