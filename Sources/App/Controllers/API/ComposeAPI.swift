import Vapor

/// `POST /api/v1/compose/check`: how each network will count and read a text.
enum ComposeAPI {
    @Sendable static func check(_ req: Request) async throws -> ComposeCheckResponse {
        let body = try req.decodeBody(ComposeCheckRequest.self)
        let networks = try ComposeService.networks(from: body.networks)
        return ComposeCheckResponse(try ComposeService().check(body.text, for: networks))
    }
}
