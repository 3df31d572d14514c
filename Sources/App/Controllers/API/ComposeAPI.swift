import Vapor

/// `POST /api/v1/compose/check`: how each network will count and read a text.
enum ComposeAPI {
    @Sendable static func check(_ req: Request) async throws -> ComposeCheckResponse {
        let body = try req.decodeBody(ComposeCheckRequest.self)
        let networks = try ComposeService.networks(from: body.networks)
        return ComposeCheckResponse(try ComposeService().check(body.text, for: networks))
    }

    /// The same check inside a workspace, where the post's media are known too.
    @Sendable static func checkInWorkspace(_ req: Request) async throws -> ComposeCheckResponse {
        let body = try req.decodeBody(WorkspaceComposeCheckRequest.self)
        let networks = try ComposeService.networks(from: body.networks)
        let media = try await MediaService(db: req.db).items(body.media ?? [], in: req.requireWorkspace().workspace)
        return ComposeCheckResponse(try ComposeService().check(body.text, for: networks), media: media)
    }
}
