import Vapor

/// The signed-in person's notifications, and whether they come by email too.
enum NotificationPages {
    struct Line: Encodable {
        var workspaceName: String
        var actor: String
        var action: String
        var summary: String
        var at: Date
        var read: Bool
        var url: String
    }

    struct ListContext: Encodable {
        var page: PageContext
        var lines: [Line]
        var byEmail: Bool
        var emailAvailable: Bool
    }

    struct SettingsForm: Content {
        var email: String?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let service = req.wiring.notifications(on: req.db)
        let lines = try await service.entries(for: user, limit: Notifications.mostPerPage).map { entry in
            let base = "/workspaces/\(entry.workspaceID.uuidString)"
            return Line(
                workspaceName: entry.workspaceName, actor: entry.actor ?? "Trestle", action: entry.action.rawValue, summary: entry.summary,
                at: entry.at, read: entry.readAt != nil, url: entry.postID.map { "\(base)/posts/\($0.uuidString)#comments" } ?? "\(base)/activity"
            )
        }
        let context = ListContext(
            page: try await .load(req, title: "Notifications"), lines: lines, byEmail: try await service.wantsEmail(user),
            emailAvailable: req.wiring.smtp != nil
        )
        return try await req.page("notifications", context)
    }

    @Sendable static func markAllRead(_ req: Request) async throws -> Response {
        try await req.wiring.notifications(on: req.db).markRead(nil, for: req.requireUser())
        return req.redirect(to: "/notifications")
    }

    @Sendable static func changeSettings(_ req: Request) async throws -> Response {
        let form = try req.content.decode(SettingsForm.self)
        try await req.wiring.notifications(on: req.db).setWantsEmail(form.email == "on", for: req.requireUser())
        return req.redirect(to: "/notifications")
    }
}
