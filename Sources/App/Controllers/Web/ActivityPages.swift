import Vapor

/// The activity feed on the web: the workspace's, narrowed by kind and member, a page at a time;
/// a post's page shows its own.
enum ActivityPages {
    struct Line: Encodable {
        var action: String
        /// "ana@example.com" or "Trestle".
        var actor: String
        var summary: String
        var at: Date
        var postURL: String?
    }

    struct Choice: Encodable {
        var value: String
        var label: String
        var chosen: Bool
    }

    struct FeedContext: Encodable {
        var page: PageContext
        var lines: [Line]
        var actions: [Choice]
        var members: [Choice]
        var olderURL: String?
        var error: String?
    }

    @Sendable static func feed(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let workspaceID = try access.workspace.requireID()
        var error: String?
        var filter = ActivityLog.Filter()
        do { filter = try ActivityAPI.filter(req, emptyIsAny: true) } catch let refusal as ServiceError {
            error = refusal.fields.values.sorted().joined(separator: " ")
        }
        let entries = try await req.wiring.activity(on: req.db).entries(in: access.workspace, filter)
        let members = try await WorkspaceService(db: req.db).members(of: access.workspace)
        var older: String?
        if entries.count == filter.limit, let last = entries.last {
            var query = URLComponents()
            query.queryItems = [
                filter.action.map { URLQueryItem(name: "action", value: $0.rawValue) },
                filter.actorID.map { URLQueryItem(name: "member", value: $0.uuidString) },
                URLQueryItem(name: "before", value: ISO8601DateFormatter().string(from: last.activity.createdAt)),
            ].compactMap { $0 }
            older = "/workspaces/\(workspaceID.uuidString)/activity?\(query.percentEncodedQuery ?? "")"
        }
        let context = FeedContext(
            page: try await .load(req, title: "Activity · \(access.workspace.name)", in: access),
            lines: lines(entries, workspaceID: workspaceID),
            actions: Activity.Action.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, chosen: $0 == filter.action) },
            members: try members.map { member in
                let id = try member.user.requireID()
                return Choice(value: id.uuidString, label: member.user.email, chosen: id == filter.actorID)
            },
            olderURL: older, error: error
        )
        return try await req.page("activity", context, status: error == nil ? .ok : .unprocessableEntity)
    }

    static func lines(_ entries: [ActivityLog.Entry], workspaceID: UUID) -> [Line] {
        entries.map { entry in
            Line(
                action: entry.activity.action.rawValue, actor: entry.actor ?? (entry.activity.$actor.id == nil ? "Trestle" : "a former member"),
                summary: entry.activity.summary, at: entry.activity.createdAt,
                postURL: entry.activity.postID.map { "/workspaces/\(workspaceID.uuidString)/posts/\($0.uuidString)" }
            )
        }
    }
}
