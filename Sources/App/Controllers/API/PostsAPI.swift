import Vapor

/// A workspace's posts over the JSON API.
enum PostsAPI {
    @Sendable static func list(_ req: Request) async throws -> [PostDTO] {
        let posts = try await req.wiring.posts(on: req.db).posts(in: req.requireWorkspace().workspace)
        let metrics = try await req.wiring.postMetrics(on: req.db).metrics(of: posts.flatMap { ($0.$deliveries.value ?? []).compactMap(\.id) })
        return try posts.map { try PostDTO($0, metrics: metrics) }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(PostRequest.self)
        let workspace = try req.requireWorkspace().workspace
        let post = try await req.wiring.posts(on: req.db).create(try body.draft(), in: workspace, by: req.requireUser())
        return try await dto(post, in: workspace, req).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> PostDTO {
        let workspace = try req.requireWorkspace().workspace
        return try await dto(try await req.wiring.posts(on: req.db).post(req.uuidParameter("post"), in: workspace), in: workspace, req)
    }

    /// `POST …/posts/{id}/approvals` with an optional `{"version"}` (the version the caller read):
    /// the caller approves the post's current version.
    @Sendable static func approve(_ req: Request) async throws -> PostDTO {
        let body = req.body.data.map { $0.readableBytes > 0 } == true ? try req.decodeBody(ApprovalRequest.self) : ApprovalRequest(version: nil)
        let workspace = try req.requireWorkspace().workspace
        let service = req.wiring.posts(on: req.db)
        let post = try await service.post(req.uuidParameter("post"), in: workspace)
        try await ApprovalService(db: req.db, wiring: req.wiring).approve(post, by: req.requireUser(), version: body.version, in: workspace)
        return try await dto(try await service.post(post.requireID(), in: workspace), in: workspace, req)
    }

    private static func dto(_ post: Post, in workspace: Workspace, _ req: Request) async throws -> PostDTO {
        try PostDTO(post, approvals: try await ApprovalService(db: req.db, wiring: req.wiring).standing(of: post, in: workspace),
                    metrics: try await req.wiring.postMetrics(on: req.db).metrics(of: (post.$deliveries.value ?? []).compactMap(\.id)))
    }

    @Sendable static func update(_ req: Request) async throws -> PostDTO {
        let body = try req.decodeBody(PostRequest.self)
        let service = req.wiring.posts(on: req.db)
        let workspace = try req.requireWorkspace().workspace
        let post = try await service.post(req.uuidParameter("post"), in: workspace)
        try await service.update(post, in: workspace, with: try body.draft(), by: req.requireUser())
        return try await dto(post, in: workspace, req)
    }

    /// Sends the failed deliveries again; the rest are left as they are.
    @Sendable static func retry(_ req: Request) async throws -> PostDTO {
        let service = req.wiring.posts(on: req.db)
        let workspace = try req.requireWorkspace().workspace
        let post = try await service.post(req.uuidParameter("post"), in: workspace)
        try await service.retry(post)
        return try await dto(post, in: workspace, req)
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let service = req.wiring.posts(on: req.db)
        try await service.delete(service.post(req.uuidParameter("post"), in: req.requireWorkspace().workspace))
        return .noContent
    }
}
