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

/// The caller's notifications, across their workspaces.
enum NotificationsAPI {
    /// `?unread=true` for the unread ones only.
    @Sendable static func list(_ req: Request) async throws -> NotificationsDTO {
        let user = try req.requireUser()
        let unreadOnly: Bool
        switch req.query[String.self, at: "unread"] {
        case nil, "false": unreadOnly = false
        case "true": unreadOnly = true
        default: throw ServiceError.invalid(["unread": "Use true or false."], message: "The notifications cannot be narrowed that way.")
        }
        let service = req.wiring.notifications(on: req.db)
        return NotificationsDTO(notifications: try await service.entries(for: user, unreadOnly: unreadOnly).map(NotificationDTO.init),
                                unread: try await service.unreadCount(for: user))
    }

    @Sendable static func markRead(_ req: Request) async throws -> NotificationsDTO {
        let body = try req.decodeBody(NotificationsReadRequest.self)
        if let ids = body.ids, ids.count > Notifications.mostPerPage {
            throw ServiceError.invalid(["ids": "Mark at most \(Notifications.mostPerPage) at once, or leave ids out for all."])
        }
        try await req.wiring.notifications(on: req.db).markRead(body.ids, for: req.requireUser())
        return try await list(req)
    }

    @Sendable static func settings(_ req: Request) async throws -> NotificationSettingsDTO {
        NotificationSettingsDTO(email: try await req.wiring.notifications(on: req.db).wantsEmail(req.requireUser()))
    }

    @Sendable static func changeSettings(_ req: Request) async throws -> NotificationSettingsDTO {
        let body = try req.decodeBody(NotificationSettingsDTO.self)
        try await req.wiring.notifications(on: req.db).setWantsEmail(body.email, for: req.requireUser())
        return body
    }
}
