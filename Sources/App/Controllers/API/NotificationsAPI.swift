import Foundation
import Vapor

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
