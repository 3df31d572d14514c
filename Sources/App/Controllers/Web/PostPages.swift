import Vapor

/// Posts in the web UI: saved or scheduled from the composer, listed with where each stands,
/// shown delivery by delivery, opened again, retried, deleted.
enum PostPages {
    struct PostForm: Content {
        var parts: [String]?
        var channels: [String]?
        var media: [UUID]?
        var variants: [String: String]?
        /// The button pressed: `draft` (or none), `now`, `queue`, or `at` with `at` and `zone`.
        var when: String?
        /// `2026-12-24T09:00` from a `datetime-local` field, in the browser's `zone`.
        var at: String?
        var zone: String?
        /// The composer's links box: present when it was shown, so an unticked box means off.
        var linksShown: String?
        var shortenLinks: String?
        var campaign: String?

        /// What the links box said, for the composer shown again.
        var links: ComposerPages.LinkChoice? {
            linksShown == nil ? nil : .init(shorten: shortenLinks == "on", campaign: campaign ?? "")
        }
    }

    struct PostSummary: Encodable {
        var id: String
        var excerpt: String
        var parts: Int
        /// Where it is meant to go, as handles.
        var channels: String
        var status: String
        var updatedAt: Date?
    }

    struct ListContext: Encodable {
        var page: PageContext
        var posts: [PostSummary]
        /// The last import's report: a line per row with a problem, or what was made.
        var importReport: [String] = []
        var importNotice: String?
        var importError: String?
    }

    struct ImportForm: Content {
        var posts: File?
        var dryRun: String?
    }

    /// A CSV of posts from the Posts page: checked (a dry run) or imported, all or nothing; the
    /// page shows each row's problems.
    @Sendable static func importCSV(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(ImportForm.self)
        guard let file = form.posts, file.data.readableBytes > 0, let text = String(bytes: file.data.readableBytesView, encoding: .utf8) else {
            return try await list(req, importError: "Choose a CSV file of posts (UTF-8).", status: .unprocessableEntity)
        }
        let dryRun = form.dryRun != nil
        do {
            let outcome = try await PostCSV(db: req.db, wiring: req.wiring).importing(text, into: access.workspace, by: req.requireUser(), dryRun: dryRun)
            let report = outcome.rows.filter { !$0.problems.isEmpty }.map { "Line \($0.line): \($0.problems.joined(separator: " "))" }
            if !report.isEmpty {
                return try await list(req, report: report, importError: "\(report.count) of \(outcome.rows.count) posts have problems, so none was imported.",
                                      status: dryRun ? .ok : .unprocessableEntity)
            }
            let notice = dryRun ? "All \(outcome.rows.count) posts are ready to import; nothing was made yet." : "Imported \(outcome.created.count) posts."
            return try await list(req, notice: notice, status: .ok)
        } catch let error as ServiceError where !error.fields.isEmpty {
            let report = error.fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            return try await list(req, report: report, importError: error.message, status: error.status)
        }
    }

    struct DeliveryLine: Encodable {
        var handle: String
        var state: String
        var scheduledAt: Date
        var publishedAt: Date?
        /// The time in the channel's own zone, as its posting slots read.
        var channelTime: String
        var remoteURL: String?
        var error: String?
        /// What the network counted, as last read ("17 likes · 4 reposts"); nil before the first reading.
        var counts: String?
        /// The counts the network did not give, and why, in its own terms.
        var notCounted: String?
    }

    struct ShowContext: Encodable {
        var page: PageContext
        var id: String
        var status: String
        var parts: [String]
        var deliveries: [DeliveryLine]
        var canRetry: Bool
        /// The workspace's approval rule and where this version stands; nil when it asks for none.
        var approvals: ApprovalLine?
        /// What happened to the post, newest first.
        var lines: [ActivityPages.Line]
        var comments: [CommentPages.Line]
        var commentURL: String
        var commentText: String
        var commentError: String?
        var canRequestChanges: Bool
    }

    struct ApprovalLine: Encodable {
        var required: Int
        var approvedBy: [String]
        var approved: Bool
        var missing: Int
        var version: Int
        /// The viewer is not the author and has not approved this version yet.
        var canApprove: Bool
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await list(req, status: .ok)
    }

    private static func list(
        _ req: Request, report: [String] = [], notice: String? = nil, importError: String? = nil, status: HTTPStatus
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let posts = try await req.wiring.posts(on: req.db).posts(in: access.workspace).map { post in
            PostSummary(
                id: try post.requireID().uuidString,
                excerpt: post.text.count > 140 ? String(post.text.prefix(140)) + "…" : post.text,
                parts: post.thread.count + 1,
                channels: (post.$channels.value ?? []).map(\.handle).sorted().joined(separator: ", "),
                status: PostDTO.status(post.status, post.$deliveries.value ?? []),
                updatedAt: post.updatedAt
            )
        }
        return try await req.page("posts", ListContext(
            page: .load(req, title: "Posts · \(access.workspace.name)", in: access), posts: posts,
            importReport: report, importNotice: notice, importError: importError
        ), status: status)
    }

    /// One post, delivery by delivery: its state, the post on the network, or why it failed.
    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        return try await render(req, post: req.wiring.posts(on: req.db).post(req.uuidParameter("post"), in: access.workspace))
    }

    /// The post's page; `commentText` and `commentError` refill a comment that was refused.
    static func render(_ req: Request, post: Post, commentText: String = "", commentError: String? = nil) async throws -> Response {
        let access = try req.requireWorkspace()
        let channels = Dictionary((post.$channels.value ?? []).compactMap { c in c.id.map { ($0, c.timezone) } }, uniquingKeysWith: { a, _ in a })
        let deliveries = (post.$deliveries.value ?? []).sorted { ($0.scheduledAt, $0.channelHandle) < ($1.scheduledAt, $1.channelHandle) }
        let metrics = try await req.wiring.postMetrics(on: req.db).metrics(of: deliveries.compactMap(\.id))
        let lines = deliveries.map { delivery in
            let zone = delivery.$channel.id.flatMap { channels[$0] } ?? "UTC"
            let read = delivery.id.flatMap { metrics[$0] }
            return DeliveryLine(
                handle: delivery.channelHandle, state: delivery.state.rawValue, scheduledAt: delivery.scheduledAt, publishedAt: delivery.publishedAt,
                channelTime: Self.local(delivery.publishedAt ?? delivery.scheduledAt, zone), remoteURL: delivery.remoteURL, error: delivery.error,
                counts: read.map(CountsLine.counts), notCounted: read.flatMap { CountsLine.notCounted($0, by: req.wiring.metricsReaders.reader(for: delivery.network)) }
            )
        }
        let standing = try await ApprovalService(db: req.db, wiring: req.wiring).standing(of: post, in: access.workspace)
        let viewer = try req.requireUser()
        let approvals = standing.required == 0 ? nil : ApprovalLine(
            required: standing.required, approvedBy: standing.approvedBy, approved: standing.isApproved, missing: standing.missing, version: standing.version,
            canApprove: post.$author.id != viewer.id && !standing.approvedBy.contains(viewer.email)
        )
        return try await req.page("post", ShowContext(
            page: .load(req, title: "Post · \(access.workspace.name)", in: access), id: try post.requireID().uuidString,
            status: PostDTO.status(post.status, deliveries), parts: [post.text] + post.thread, deliveries: lines,
            canRetry: deliveries.contains { $0.state == .failed }, approvals: approvals,
            lines: ActivityPages.lines(
                try await req.wiring.activity(on: req.db).entries(in: access.workspace, .init(postID: post.requireID(), limit: ActivityLog.mostPerPage)),
                workspaceID: access.workspace.requireID()),
            comments: CommentPages.lines(try await req.wiring.comments(on: req.db).comments(on: .post(post)), for: viewer, workspaceID: access.workspace.requireID()),
            commentURL: "/workspaces/\(try access.workspace.requireID())/posts/\(try post.requireID())/comments",
            commentText: commentText, commentError: commentError, canRequestChanges: post.$author.id != viewer.id
        ), status: commentError == nil ? .ok : .unprocessableEntity)
    }

    struct ApproveForm: Content {
        var version: Int?
    }

    /// Approves the version the member read on the post's page.
    @Sendable static func approve(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let post = try await req.wiring.posts(on: req.db).post(req.uuidParameter("post"), in: access.workspace)
        let form = try req.content.decode(ApproveForm.self)
        try await ApprovalService(db: req.db, wiring: req.wiring).approve(post, by: req.requireUser(), version: form.version, in: access.workspace)
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/posts/\(try post.requireID())")
    }

    @Sendable static func retry(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.posts(on: req.db)
        let post = try await service.post(req.uuidParameter("post"), in: access.workspace)
        try await service.retry(post)
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/posts/\(try post.requireID())")
    }

    /// "Tue 24 Dec 09:00 Europe/Berlin".
    private static func local(_ date: Date, _ zone: String) -> String {
        "\(DateText.format(date, "EEE d MMM HH:mm", in: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)) \(zone)"
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(PostForm.self)
        let parts = form.parts ?? []
        do {
            let post = try await req.wiring.posts(on: req.db).create(draft(from: form), in: access.workspace, by: req.requireUser())
            return try after(saving: post, in: access)
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await ComposerPages.render(req, parts: parts, channels: form.channels ?? [], media: form.media ?? [], variants: form.variants ?? [:], links: form.links, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func edit(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let post = try await req.wiring.posts(on: req.db).post(req.uuidParameter("post"), in: access.workspace)
        let channels = (post.$channels.value ?? []).compactMap { $0.id?.uuidString }
        return try await ComposerPages.render(req, parts: [post.text] + post.thread, channels: channels, media: post.media, variants: post.variants, editing: post)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.posts(on: req.db)
        let post = try await service.post(req.uuidParameter("post"), in: access.workspace)
        let form = try req.content.decode(PostForm.self)
        let parts = form.parts ?? []
        do {
            try await service.update(post, in: access.workspace, with: draft(from: form), by: req.requireUser())
            return try after(saving: post, in: access)
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await ComposerPages.render(req, parts: parts, channels: form.channels ?? [], media: form.media ?? [], variants: form.variants ?? [:], links: form.links, editing: post, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.posts(on: req.db)
        try await service.delete(service.post(req.uuidParameter("post"), in: access.workspace))
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/posts")
    }

    /// A scheduled post opens on its own page, where its deliveries show; a draft on the list.
    private static func after(saving post: Post, in access: WorkspaceAccess) throws -> Response {
        let base = "/workspaces/\(try access.workspace.requireID())/posts"
        return Response(status: .seeOther, headers: ["Location": post.status == .scheduled ? "\(base)/\(try post.requireID())" : base])
    }

    private static func draft(from form: PostForm) throws -> PostService.Draft {
        let parts = form.parts ?? []
        // An unticked box sends nothing: no `channels[]` means no channel.
        let campaign = form.campaign?.trimmingCharacters(in: .whitespacesAndNewlines)
        return .init(text: parts.first ?? "", thread: Array(parts.dropFirst()), channels: form.channels ?? [], variants: form.variants ?? [:],
                     media: form.media ?? [], schedule: try schedule(from: form),
                     shortenLinks: form.links?.shorten, campaign: form.links == nil ? nil : .some(campaign?.isEmpty == false ? campaign : nil))
    }

    /// Which button was pressed, as a schedule; a time is read in the browser's own zone.
    private static func schedule(from form: PostForm) throws -> DeliveryService.When? {
        switch form.when {
        case "now": return .now
        case "queue": return .queue
        case "at":
            let zone = form.zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
            let pieces = (form.at ?? "").split(whereSeparator: { $0 == "-" || $0 == "T" || $0 == ":" }).compactMap { Int($0) }
            guard pieces.count >= 5, (2000...2200).contains(pieces[0]), (1...12).contains(pieces[1]), (1...31).contains(pieces[2]),
                  (0...23).contains(pieces[3]), (0...59).contains(pieces[4]) else {
                throw ServiceError.invalid(["schedule": "Choose the day and time to post."], message: "The post was not scheduled.")
            }
            return .at(LocalTime.instant(year: pieces[0], month: pieces[1], day: pieces[2], hour: pieces[3], minute: pieces[4], in: zone))
        case nil, "draft": return nil
        default:
            throw ServiceError.invalid(["schedule": "Save the post as a draft, post it now, add it to the queue, or schedule it at a time."],
                                       message: "The post was not saved.")
        }
    }
}
