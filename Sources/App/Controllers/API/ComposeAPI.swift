import Vapor

/// `POST /api/v1/compose/check`: how each network will count and read a text.
enum ComposeAPI {
    @Sendable static func check(_ req: Request) async throws -> ComposeCheckResponse {
        let body = try req.decodeBody(ComposeCheckRequest.self)
        let networks = try ComposeService.networks(from: body.networks)
        return ComposeCheckResponse(try ComposeService().check(body.text, for: networks))
    }

    /// The same check inside a workspace, for networks and for the workspace's channels (results
    /// keyed by channel id), where the post's media are known too.
    @Sendable static func checkInWorkspace(_ req: Request) async throws -> ComposeCheckResponse {
        let body = try req.decodeBody(WorkspaceComposeCheckRequest.self)
        let workspace = try req.requireWorkspace().workspace
        let channels = try await req.wiring.posts(on: req.db).channels(body.channels ?? [], in: workspace)
        // Channels alone are enough; without any, at least one network must be named.
        let names = body.networks ?? []
        let networks = names.isEmpty && !channels.isEmpty ? [] : try ComposeService.networks(from: names)
        let media = try await MediaService(db: req.db).items(body.media ?? [], in: workspace)
        let service = ComposeService()
        var shortLinks: String?
        if body.shortenLinks ?? true, let base = req.wiring.publicURL?.absoluteString.trimmingSuffix("/"),
           try await LinkShortener(db: req.db, wiring: req.wiring).workspaceShortens(workspace) {
            shortLinks = base
        }
        let checks = try service.check(body.text, for: networks).map { ($0.0.rawValue, $0.1) }
            + service.check(body.text, for: channels, shortLinksUnder: shortLinks).map { (try $0.0.requireID().uuidString, $0.1) }
        return ComposeCheckResponse(keyed: checks, media: media)
    }
}
