import Foundation
import Vapor

/// Links: make a short link by hand, see what every link brought (clicks, people, previews,
/// leads, sales), and set up counting sales — the script for the shop's pages, the attribution
/// window, short links on or off, and a CSV of orders.
enum LinkPages {
    struct LinkLine: Encodable {
        var id: String
        var url: String
        var shortURL: String
        var campaign: String?
        var source: String
        var clicks: Int
        var visitors: Int
        var fetches: Int
        var leads: Int
        var sales: Int
        var revenue: String
    }

    struct ListContext: Encodable {
        var page: PageContext
        var links: [LinkLine]
        var url: String
        var campaign: String
        var errors: FieldErrors
        var newShortURL: String?
        var script: String
        var attributionDays: Int
        var shortenLinks: Bool
        var notice: String?
    }

    struct LinkForm: Content {
        var url: String?
        var campaign: String?
    }

    struct TrackingForm: Content {
        var attributionDays: Int?
        var shortenLinks: String?
    }

    struct OrdersForm: Content {
        var orders: File?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LinkForm.self)
        do {
            let link = try await req.wiring.links(on: req.db).create(url: form.url ?? "", campaign: form.campaign, in: req.requireWorkspace().workspace)
            return try await render(req, newShortURL: "\(req.publicBaseURL)/l/\(link.code)", status: .created)
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, form: form, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.links(on: req.db)
        try await service.delete(service.link(req.uuidParameter("link"), in: access.workspace))
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/links")
    }

    @Sendable static func changeTracking(_ req: Request) async throws -> Response {
        let form = try req.content.decode(TrackingForm.self)
        do {
            _ = try await ConversionService(db: req.db, wiring: req.wiring).changeTracking(
                attributionDays: form.attributionDays, shortenLinks: form.shortenLinks == "on", of: req.requireWorkspace().workspace
            )
            return try await render(req, notice: "Saved.")
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func importOrders(_ req: Request) async throws -> Response {
        let form = try req.content.decode(OrdersForm.self)
        guard let file = form.orders, file.data.readableBytes > 0, let text = String(bytes: file.data.readableBytesView, encoding: .utf8) else {
            return try await render(req, errors: ["orders": "Choose a CSV file of orders (UTF-8)."], status: .unprocessableEntity)
        }
        do {
            let (created, repeated) = try await ConversionService(db: req.db, wiring: req.wiring).importCSV(text, in: req.requireWorkspace().workspace)
            return try await render(req, notice: "Imported \(created) new \(created == 1 ? "order" : "orders")" + (repeated > 0 ? "; \(repeated) had been reported before and count once." : "."))
        } catch let error as ServiceError where !error.fields.isEmpty {
            let problems = error.fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " ")
            return try await render(req, errors: ["orders": "\(error.message) \(problems)"], status: error.status)
        }
    }

    private static func render(
        _ req: Request, form: LinkForm? = nil, errors: FieldErrors = [:], newShortURL: String? = nil, notice: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.links(on: req.db)
        var lines: [LinkLine] = []
        for link in try await service.links(in: access.workspace, limit: 100) {
            let counts = try await service.counts(of: link)
            let revenue = counts.revenueMilli.sorted { $0.key < $1.key }
                .map { "\($0.key) \((Decimal($0.value) / 1_000).formatted(.number.precision(.fractionLength(2))))" }.joined(separator: ", ")
            lines.append(LinkLine(
                id: try link.requireID().uuidString, url: link.url, shortURL: "\(req.publicBaseURL)/l/\(link.code)", campaign: link.campaign,
                source: link.source?.displayName ?? "by hand", clicks: counts.clicks, visitors: counts.visitors, fetches: counts.fetches,
                leads: counts.leads, sales: counts.sales, revenue: revenue.isEmpty ? "–" : revenue
            ))
        }
        let tracking = try await ConversionService(db: req.db, wiring: req.wiring).tracking(of: access.workspace)
        let context = ListContext(
            page: try await .load(req, title: "Links", in: access), links: lines, url: form?.url ?? "", campaign: form?.campaign ?? "",
            errors: errors, newShortURL: newShortURL, script: TrackingDTO(tracking, base: req.publicBaseURL).script,
            attributionDays: tracking.attributionDays, shortenLinks: tracking.shortensLinks, notice: notice
        )
        return try await req.page("links", context, status: status)
    }
}
