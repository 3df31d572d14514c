import Vapor

/// A workspace's posts over the JSON API.
enum PostsAPI {
    @Sendable static func list(_ req: Request) async throws -> [PostDTO] {
        try await req.wiring.posts(on: req.db).posts(in: req.requireWorkspace().workspace).map { try PostDTO($0) }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(PostRequest.self)
        let post = try await req.wiring.posts(on: req.db).create(try body.draft(), in: req.requireWorkspace().workspace, by: req.requireUser())
        return try await PostDTO(post).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> PostDTO {
        try PostDTO(try await req.wiring.posts(on: req.db).post(req.uuidParameter("post"), in: req.requireWorkspace().workspace))
    }

    @Sendable static func update(_ req: Request) async throws -> PostDTO {
        let body = try req.decodeBody(PostRequest.self)
        let service = req.wiring.posts(on: req.db)
        let workspace = try req.requireWorkspace().workspace
        let post = try await service.post(req.uuidParameter("post"), in: workspace)
        try await service.update(post, in: workspace, with: try body.draft())
        return try PostDTO(post)
    }

    /// Sends the failed deliveries again; the rest are left as they are.
    @Sendable static func retry(_ req: Request) async throws -> PostDTO {
        let service = req.wiring.posts(on: req.db)
        let post = try await service.post(req.uuidParameter("post"), in: req.requireWorkspace().workspace)
        try await service.retry(post)
        return try PostDTO(post)
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let service = req.wiring.posts(on: req.db)
        try await service.delete(service.post(req.uuidParameter("post"), in: req.requireWorkspace().workspace))
        return .noContent
    }
}
