import Vapor

/// A workspace's outgoing webhooks over the JSON API.
enum WebhooksAPI {
    @Sendable static func list(_ req: Request) async throws -> [WebhookDTO] {
        try await req.wiring.webhooks(on: req.db).webhooks(in: req.requireWorkspace().workspace).map { try WebhookDTO($0) }
    }

    /// 201 with the webhook and its signing secret, which no later answer contains.
    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(WebhookRequest.self)
        let (webhook, secret) = try await req.wiring.webhooks(on: req.db).create(url: body.url, events: body.events, in: req.requireWorkspace().workspace)
        return try await WebhookDTO(webhook, secret: secret).encodeResponse(status: .created, for: req)
    }

    /// The webhook with its recent attempts.
    @Sendable static func show(_ req: Request) async throws -> WebhookDTO {
        let service = req.wiring.webhooks(on: req.db)
        let webhook = try await service.webhook(req.uuidParameter("webhook"), in: req.requireWorkspace().workspace)
        return try WebhookDTO(webhook, attempts: try await service.recentAttempts(of: webhook))
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let service = req.wiring.webhooks(on: req.db)
        try await service.delete(service.webhook(req.uuidParameter("webhook"), in: req.requireWorkspace().workspace))
        return .noContent
    }
}
