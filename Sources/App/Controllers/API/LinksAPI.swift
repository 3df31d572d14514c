import Foundation
import Vapor

/// A workspace's short links over the JSON API.
enum LinksAPI {
    @Sendable static func list(_ req: Request) async throws -> [LinkDTO] {
        let service = req.wiring.links(on: req.db)
        var links: [LinkDTO] = []
        for link in try await service.links(in: req.requireWorkspace().workspace) {
            links.append(try LinkDTO(link, counts: try await service.counts(of: link), base: req.publicBaseURL))
        }
        return links
    }

    /// 201 with the link; its short address is live at once.
    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(LinkRequest.self)
        let link = try await req.wiring.links(on: req.db).create(url: body.url, campaign: body.campaign, in: req.requireWorkspace().workspace)
        return try await LinkDTO(link, counts: .init(), base: req.publicBaseURL).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> LinkDTO {
        let service = req.wiring.links(on: req.db)
        let link = try await service.link(req.uuidParameter("link"), in: req.requireWorkspace().workspace)
        return try LinkDTO(link, counts: try await service.counts(of: link), base: req.publicBaseURL)
    }

    /// The short address stops working; its clicks go with it.
    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let service = req.wiring.links(on: req.db)
        try await service.delete(service.link(req.uuidParameter("link"), in: req.requireWorkspace().workspace))
        return .noContent
    }
}
