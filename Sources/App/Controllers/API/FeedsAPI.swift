import Vapor

/// Feeds over the JSON API: a preview of any feed, and a workspace's subscriptions.
enum FeedsAPI {
    /// What the feed at `url` holds now, read by the same fetcher and parser as subscriptions.
    @Sendable static func preview(_ req: Request) async throws -> FeedPreviewDTO {
        let body = try req.decodeBody(FeedPreviewRequest.self)
        let url = try FeedReader.address(body.url)
        guard case let .read(feed, _, _) = try await FeedReader(fetcher: req.wiring.feedFetcher).read(url) else {
            throw ServiceError.invalid(["url": "The server answered 304 Not Modified to a plain request."], message: "The feed could not be read.")
        }
        return FeedPreviewDTO(feed)
    }

    @Sendable static func list(_ req: Request) async throws -> [FeedSubscriptionDTO] {
        try await req.wiring.feedBridge(on: req.db).subscriptions(in: req.requireWorkspace().workspace).map { try FeedSubscriptionDTO($0) }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(FeedBridgeService.Request.self)
        let subscription = try await req.wiring.feedBridge(on: req.db).subscribe(body, in: req.requireWorkspace().workspace, by: req.requireUser())
        return try await FeedSubscriptionDTO(subscription).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> FeedSubscriptionDTO {
        try FeedSubscriptionDTO(try await req.wiring.feedBridge(on: req.db).subscription(req.uuidParameter("feed"), in: req.requireWorkspace().workspace))
    }

    @Sendable static func update(_ req: Request) async throws -> FeedSubscriptionDTO {
        let body = try req.decodeBody(FeedBridgeService.Request.self)
        let service = req.wiring.feedBridge(on: req.db)
        let workspace = try req.requireWorkspace().workspace
        let subscription = try await service.subscription(req.uuidParameter("feed"), in: workspace)
        try await service.update(subscription, in: workspace, with: body)
        return try FeedSubscriptionDTO(subscription)
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let service = req.wiring.feedBridge(on: req.db)
        try await service.delete(service.subscription(req.uuidParameter("feed"), in: req.requireWorkspace().workspace))
        return .noContent
    }
}
