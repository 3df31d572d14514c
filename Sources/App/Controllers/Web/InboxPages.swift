import Networks
import Vapor

/// The inbox in the web UI: every reply, mention, quote and message of the workspace's
/// channels in one list, newest first, narrowed by a GET form (so a view can be shared as a
/// link), worked from the list (done, open again) and kept up to date by `InboxEvents`.
enum InboxPages {
    /// The filter form's fields, as the query string carries them.
    struct FilterQuery: Content {
        /// A channel id; empty for every channel.
        var channel: String?
        /// `open` (the default), `done` or `all`.
        var state: String?
        /// `me`, `nobody`, a member's id; empty for anyone.
        var assignee: String?
        /// `reply`, `mention`, `quote`, `message`; empty for every kind.
        var kind: String?
    }

    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Filters: Encodable {
        var channels: [Option]
        var states: [Option]
        var assignees: [Option]
        var kinds: [Option]
        /// Anything other than the default view (open items of every channel, kind and member).
        var narrowed: Bool
    }

    struct HistoryLine: Encodable {
        var channelHandle: String
        var items: Int
    }

    struct ListContext: Encodable {
        var page: PageContext
        var items: [ItemLine]
        var filters: Filters
        var listURL: String
        var fragmentURL: String
        var eventsURL: String
        var savedRepliesURL: String
        var deleteHistoryURL: String
        /// This view's own address, filters included: where a form on it sends the person back.
        var here: String
        var histories: [HistoryLine]
        var hasChannels: Bool
        var channelsURL: String
    }

    struct StateForm: Content {
        var state: String?
        var next: String?
    }

    struct AssigneeForm: Content {
        /// A member's id; empty for nobody.
        var assignee: String?
        var next: String?
    }

    struct HistoryForm: Content {
        var channel: String?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let context = try await listContext(req, page: .load(req, title: "Inbox · \(access.workspace.name)", in: access))
        let response = try await req.page("inbox", context)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: ItemLine.picturePolicy)
        return response
    }

    /// The list alone, as the page shows it, for its script to swap in when the inbox changes.
    @Sendable static func fragment(_ req: Request) async throws -> Response {
        let context = try await listContext(req, page: PageContext(request: req, title: "Inbox"))
        let response = try await req.page("inbox-list", context)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Done, or open again.
    @Sendable static func changeState(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(StateForm.self)
        guard let state = form.state.flatMap(InboxItem.State.init(rawValue:)) else {
            throw AppError.badRequest("invalid_state", "Mark the item done or open.")
        }
        let service = req.wiring.inbox(on: req.db)
        let item = try await service.item(req.uuidParameter("inboxItem"), in: access.workspace)
        try await service.update(item, state: state, assignee: nil, in: access.workspace)
        return req.redirect(to: try RedirectTarget.sameSitePath(form.next) ?? InboxURL.list(access.workspace.requireID()))
    }

    /// Given to a member, or to nobody.
    @Sendable static func assign(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(AssigneeForm.self)
        let assignment: InboxService.Assignment
        switch form.assignee ?? "" {
        case "": assignment = .nobody
        case let value:
            guard let id = UUID(uuidString: value) else { throw AppError.badRequest("invalid_assignee", "Choose a member of this workspace.") }
            assignment = .member(id)
        }
        let service = req.wiring.inbox(on: req.db)
        let item = try await service.item(req.uuidParameter("inboxItem"), in: access.workspace)
        try await service.update(item, state: nil, assignee: assignment, in: access.workspace)
        return req.redirect(to: try RedirectTarget.sameSitePath(form.next) ?? InboxURL.item(access.workspace.requireID(), item.requireID()))
    }

    /// Deletes what is kept of a disconnected channel's inbox.
    @Sendable static func deleteHistory(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(HistoryForm.self)
        let handle = (form.channel ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !handle.isEmpty else { throw AppError.badRequest("invalid_channel", "Name the channel whose history to delete.") }
        _ = try await req.wiring.inbox(on: req.db).deleteHistory(of: handle, in: access.workspace)
        return req.redirect(to: InboxURL.list(try access.workspace.requireID()))
    }

    private static func listContext(_ req: Request, page: PageContext) async throws -> ListContext {
        let access = try req.requireWorkspace()
        let workspaceID = try access.workspace.requireID()
        let userID = try req.requireUser().requireID()
        let query = try req.query.decode(FilterQuery.self)
        let service = req.wiring.inbox(on: req.db)
        let channels = try await req.channelService.channels(in: access.workspace)
        let members = try await WorkspaceService(db: req.db).members(of: access.workspace)
        let emails = Dictionary(try members.map { (try $0.user.requireID(), $0.user.email) }, uniquingKeysWith: { first, _ in first })

        // Values that name nothing here (an old link, a removed member) fall back to "any".
        var filter = InboxService.Filter()
        let channelID = query.channel.flatMap(UUID.init(uuidString:)).flatMap { id in channels.contains { $0.id == id } ? id : nil }
        filter.channelID = channelID
        let state = query.state.flatMap { ["open", "done", "all"].contains($0) ? $0 : nil } ?? "open"
        filter.state = InboxItem.State(rawValue: state)
        let kind = query.kind.flatMap(InboxMessage.Kind.init(rawValue:))
        filter.kind = kind
        var assignee = query.assignee ?? ""
        switch assignee {
        case "me": filter.assigneeID = userID
        case "nobody": filter.unassigned = true
        default:
            if let id = UUID(uuidString: assignee), emails[id] != nil { filter.assigneeID = id } else { assignee = "" }
        }

        let items = try await service.items(in: access.workspace, filter)
        let filters = Filters(
            channels: [Option(value: "", label: "Every channel", selected: channelID == nil)] + channels.map {
                Option(value: $0.id?.uuidString ?? "", label: "\($0.network.displayName) \($0.handle)", selected: $0.id == channelID)
            },
            states: [("open", "Open"), ("done", "Done"), ("all", "Open and done")].map { Option(value: $0.0, label: $0.1, selected: $0.0 == state) },
            assignees: [Option(value: "", label: "Anyone or nobody", selected: assignee == ""), Option(value: "me", label: "Me", selected: assignee == "me"),
                        Option(value: "nobody", label: "Nobody", selected: assignee == "nobody")]
                + members.compactMap { member in
                    member.user.id.map { Option(value: $0.uuidString, label: member.user.email, selected: $0.uuidString == assignee) }
                },
            kinds: [Option(value: "", label: "Every kind", selected: kind == nil)] + InboxMessage.Kind.allCases.map {
                Option(value: $0.rawValue, label: ItemLine.kindLabel($0), selected: $0 == kind)
            },
            narrowed: channelID != nil || state != "open" || kind != nil || assignee != ""
        )
        var chosen: [String: String] = [:]
        if let channelID { chosen["channel"] = channelID.uuidString }
        if state != "open" { chosen["state"] = state }
        if assignee != "" { chosen["assignee"] = assignee }
        if let kind { chosen["kind"] = kind.rawValue }
        let here = InboxURL.list(workspaceID) + (chosen.isEmpty ? "" : "?" + queryString(chosen))
        return ListContext(
            page: page,
            items: try items.map { try ItemLine($0, in: workspaceID, assignees: emails) },
            filters: filters, listURL: InboxURL.list(workspaceID),
            fragmentURL: InboxURL.listFragment(workspaceID) + (chosen.isEmpty ? "" : "?" + queryString(chosen)),
            eventsURL: InboxURL.events(workspaceID), savedRepliesURL: InboxURL.savedReplies(workspaceID),
            deleteHistoryURL: InboxURL.deleteHistory(workspaceID), here: here,
            histories: try await service.keptHistories(in: access.workspace).map { HistoryLine(channelHandle: $0.channelHandle, items: $0.items) },
            hasChannels: !channels.isEmpty, channelsURL: "/workspaces/\(workspaceID.uuidString)/channels"
        )
    }
}
