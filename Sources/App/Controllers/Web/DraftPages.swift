import Vapor

/// Drafts in the web UI: saved from the composer, listed, opened again, deleted.
enum DraftPages {
    struct DraftForm: Content {
        var parts: [String]?
        var channels: [String]?
        var media: [UUID]?
        var variants: [String: String]?
    }

    struct DraftSummary: Encodable {
        var id: String
        var excerpt: String
        var parts: Int
        /// Where it is meant to go, as handles.
        var channels: String
        var updatedAt: Date?
    }

    struct ListContext: Encodable {
        var page: PageContext
        var drafts: [DraftSummary]
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let drafts = try await req.wiring.posts(on: req.db).posts(in: access.workspace).map { post in
            DraftSummary(
                id: try post.requireID().uuidString,
                excerpt: post.text.count > 140 ? String(post.text.prefix(140)) + "…" : post.text,
                parts: post.thread.count + 1,
                channels: (post.$channels.value ?? []).map(\.handle).sorted().joined(separator: ", "),
                updatedAt: post.updatedAt
            )
        }
        return try await req.page("drafts", ListContext(page: .load(req, title: "Drafts · \(access.workspace.name)", in: access), drafts: drafts))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(DraftForm.self)
        let parts = form.parts ?? []
        do {
            try await req.wiring.posts(on: req.db).create(draft(from: form), in: access.workspace, by: req.requireUser())
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/posts")
        } catch let error as AppError where !error.fields.isEmpty {
            return try await ComposerPages.render(req, parts: parts, channels: form.channels ?? [], media: form.media ?? [], variants: form.variants ?? [:], errors: error.fields, status: error.status)
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
        let form = try req.content.decode(DraftForm.self)
        let parts = form.parts ?? []
        do {
            try await service.update(post, in: access.workspace, with: draft(from: form))
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/posts")
        } catch let error as AppError where !error.fields.isEmpty {
            return try await ComposerPages.render(req, parts: parts, channels: form.channels ?? [], media: form.media ?? [], variants: form.variants ?? [:], editing: post, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.posts(on: req.db)
        try await service.delete(service.post(req.uuidParameter("post"), in: access.workspace))
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/posts")
    }

    private static func draft(from form: DraftForm) -> PostService.Draft {
        let parts = form.parts ?? []
        // An unticked box sends nothing: no `channels[]` means no channel.
        return .init(text: parts.first ?? "", thread: Array(parts.dropFirst()), channels: form.channels ?? [], variants: form.variants ?? [:], media: form.media ?? [])
    }
}
