import Vapor

/// Feeds: the workspace's subscriptions with each one's last poll and last error, a form to
/// add one (read at once, so a wrong address is said on the form), and removal.
enum FeedPages {
    struct ChannelChoice: Encodable {
        var id: String
        var handle: String
        var checked: Bool
    }

    struct FeedLine: Encodable {
        var id: String
        var url: String
        var title: String
        var channels: String
        var mode: String
        var template: String
        var lastPolledAt: Date?
        var nextPollAt: Date
        var lastError: String?
    }

    struct ListContext: Encodable {
        var page: PageContext
        var feeds: [FeedLine]
        var channels: [ChannelChoice]
        var url: String
        var template: String
        var queue: Bool
        var backfill: String
        var errors: FieldErrors
    }

    struct FeedForm: Content {
        var url: String?
        var channels: [String]?
        var template: String?
        var mode: String?
        var backfill: String?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(FeedForm.self)
        let backfill = form.backfill.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        guard backfill.map({ Int($0) != nil }) ?? true else {
            return try await render(req, form: form, errors: ["backfill": "Give a number of items, such as 3, or leave it empty."], status: .unprocessableEntity)
        }
        let request = FeedBridgeService.Request(url: form.url, channels: form.channels ?? [], template: form.template, mode: form.mode, backfill: backfill.flatMap { Int($0) })
        do {
            let access = try req.requireWorkspace()
            _ = try await req.wiring.feedBridge(on: req.db).subscribe(request, in: access.workspace, by: req.requireUser())
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/feeds")
        } catch let error as ServiceError where !error.fields.isEmpty || error.kind == .networkUnreachable {
            return try await render(req, form: form, errors: error.fields.isEmpty ? ["url": error.message] : error.fields, status: error.status)
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.feedBridge(on: req.db)
        try await service.delete(service.subscription(req.uuidParameter("feed"), in: access.workspace))
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/feeds")
    }

    private static func render(_ req: Request, form: FeedForm? = nil, errors: FieldErrors = [:], status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.requireWorkspace()
        let channels = try await req.wiring.channels(on: req.db).channels(in: access.workspace)
        let handles = Dictionary(uniqueKeysWithValues: channels.compactMap { channel in channel.id.map { ($0, channel.handle) } })
        let feeds = try await req.wiring.feedBridge(on: req.db).subscriptions(in: access.workspace).map { subscription in
            FeedLine(id: try subscription.requireID().uuidString, url: subscription.url, title: subscription.title ?? subscription.url,
                     channels: subscription.channelIDs.compactMap { handles[$0] }.joined(separator: ", "),
                     mode: subscription.mode == .queue ? "into the queue" : "as drafts", template: subscription.template,
                     lastPolledAt: subscription.lastPolledAt, nextPollAt: subscription.nextPollAt, lastError: subscription.lastError)
        }
        let chosen = Set((form?.channels ?? []).map { $0.lowercased() })
        let context = ListContext(
            page: try await .load(req, title: "Feeds", in: access), feeds: feeds,
            channels: channels.compactMap { channel in
                channel.id.map { ChannelChoice(id: $0.uuidString, handle: channel.handle, checked: chosen.contains($0.uuidString.lowercased())) }
            },
            url: form?.url ?? "", template: form?.template ?? FeedPostText.defaultTemplate, queue: form?.mode == "queue",
            backfill: form?.backfill ?? "", errors: errors
        )
        return try await req.page("feeds", context, status: status)
    }
}
