import Foundation
import Vapor

/// Comments on posts and ideas over the JSON API.
enum CommentsAPI {
    @Sendable static func onPost(_ req: Request) async throws -> [CommentDTO] {
        try await req.wiring.comments(on: req.db).comments(on: postTarget(req)).map(CommentDTO.init)
    }

    @Sendable static func onIdea(_ req: Request) async throws -> [CommentDTO] {
        try await req.wiring.comments(on: req.db).comments(on: ideaTarget(req)).map(CommentDTO.init)
    }

    @Sendable static func addToPost(_ req: Request) async throws -> Response {
        try await add(req, on: postTarget(req))
    }

    @Sendable static func addToIdea(_ req: Request) async throws -> Response {
        try await add(req, on: ideaTarget(req))
    }

    @Sendable static func edit(_ req: Request) async throws -> CommentDTO {
        let body = try req.decodeBody(CommentRequest.self)
        let workspace = try req.requireWorkspace().workspace
        let service = req.wiring.comments(on: req.db)
        let comment = try await service.comment(req.uuidParameter("comment"), in: workspace)
        if body.requestChanges != nil {
            throw ServiceError.invalid(["requestChanges": "Whether a comment asks for changes is said when it is added."], message: "The comment was not changed.")
        }
        try await service.edit(comment, to: body.text, in: workspace, by: req.requireUser())
        return try CommentDTO(.init(comment: comment, author: req.requireUser().email))
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let service = req.wiring.comments(on: req.db)
        try await service.delete(service.comment(req.uuidParameter("comment"), in: req.requireWorkspace().workspace), by: req.requireUser())
        return .noContent
    }

    private static func add(_ req: Request, on target: CommentService.Target) async throws -> Response {
        let body = try req.decodeBody(CommentRequest.self)
        let user = try req.requireUser()
        let comment = try await req.wiring.comments(on: req.db).add(body.text, on: target, in: req.requireWorkspace().workspace, by: user,
                                                                     requestingChanges: body.requestChanges ?? false)
        return try await CommentDTO(.init(comment: comment, author: user.email)).encodeResponse(status: .created, for: req)
    }

    static func postTarget(_ req: Request) async throws -> CommentService.Target {
        .post(try await req.wiring.posts(on: req.db).post(req.uuidParameter("post"), in: req.requireWorkspace().workspace))
    }

    static func ideaTarget(_ req: Request) async throws -> CommentService.Target {
        .idea(try await req.wiring.ideas(on: req.db).idea(req.uuidParameter("idea"), in: req.requireWorkspace().workspace))
    }
}
