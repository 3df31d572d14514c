import Vapor

/// The dashboard, workspace creation and switching.
enum WorkspacePages {
    struct NameForm: Content {
        var name: String?
    }

    struct NewContext: Encodable {
        var page: PageContext
        var name: String
        var errors: FieldErrors
    }

    struct DashboardContext: Encodable {
        struct ChannelLine: Encodable {
            var networkName: String
            var name: String
            var handle: String
            var problem: String?
        }

        struct FailureLine: Encodable {
            var postID: String
            var handle: String
            var error: String
            var at: Date?
        }

        var page: PageContext
        var members: [MemberDTO]
        var channels: [ChannelLine]
        /// Deliveries that failed: never silent, each with its reason and a way to it.
        var failures: [FailureLine]
        /// How many channels the network has stopped taking posts for.
        var needingReconnect: Int
    }

    /// `/`: the workspace used last, else the first one, else a prompt to create one.
    @Sendable static func home(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let workspaces = try await WorkspaceService(db: req.db).workspaces(of: user)
        let ids = try workspaces.map { try $0.workspace.requireID().uuidString }
        if let last = req.session.data[SessionKeys.lastWorkspace], ids.contains(last) {
            return req.redirect(to: "/workspaces/\(last)")
        }
        guard let first = ids.first else { return req.redirect(to: "/workspaces/new") }
        return req.redirect(to: "/workspaces/\(first)")
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        try await req.page("workspace-new", NewContext(page: .load(req, title: "New workspace"), name: "", errors: [:]))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(NameForm.self)
        do {
            let workspace = try await WorkspaceService(db: req.db).create(name: form.name ?? "", owner: req.requireUser())
            return req.redirect(to: "/workspaces/\(try workspace.requireID())")
        } catch let error as ServiceError where !error.fields.isEmpty {
            let context = NewContext(page: try await .load(req, title: "New workspace"), name: form.name ?? "", errors: error.fields)
            return try await req.page("workspace-new", context, status: error.status)
        }
    }

    @Sendable static func dashboard(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        req.session.data[SessionKeys.lastWorkspace] = try access.workspace.requireID().uuidString
        let members = try await WorkspaceService(db: req.db).members(of: access.workspace).map { try MemberDTO($0) }
        let channels = try await req.channelService.channels(in: access.workspace).map {
            DashboardContext.ChannelLine(
                networkName: $0.network.displayName, name: $0.name, handle: $0.handle,
                problem: $0.status == .needsReconnect ? ($0.problem ?? "the network refused the credentials") : nil
            )
        }
        let failures = try await req.wiring.deliveries(on: req.db).recentFailures(in: access.workspace).map {
            DashboardContext.FailureLine(postID: $0.$post.id.uuidString, handle: $0.channelHandle, error: $0.error ?? "No reason was given.", at: $0.updatedAt)
        }
        return try await req.page("dashboard", DashboardContext(
            page: .load(req, title: access.workspace.name, in: access), members: members,
            channels: channels, failures: failures, needingReconnect: channels.filter { $0.problem != nil }.count
        ))
    }
}
