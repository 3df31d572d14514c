import Vapor

/// Comments on the web: on a post's page and an idea's page, added, edited and deleted by their
/// authors.
enum CommentPages {
    struct Line: Encodable {
        var id: String
        var author: String
        var text: String
        var requestsChanges: Bool
        var at: Date
        var edited: Bool
        var mine: Bool
        var url: String
    }

    struct CommentForm: Content {
        var text: String?
        var requestChanges: String?
    }

    static func lines(_ entries: [CommentService.Entry], for viewer: User, workspaceID: UUID) -> [Line] {
        entries.compactMap { entry in
            guard let id = entry.comment.id else { return nil }
            let created = entry.comment.createdAt ?? Date()
            return Line(
                id: id.uuidString, author: entry.author ?? "a former member", text: entry.comment.text, requestsChanges: entry.comment.requestsChanges,
                at: created, edited: (entry.comment.updatedAt ?? created).timeIntervalSince(created) > 1,
                mine: entry.comment.$author.id != nil && entry.comment.$author.id == viewer.id,
                url: "/workspaces/\(workspaceID.uuidString)/comments/\(id.uuidString)"
            )
        }
    }

    @Sendable static func addToPost(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let target = try await CommentsAPI.postTarget(req)
        let form = try req.content.decode(CommentForm.self)
        guard case let .post(post) = target else { throw Abort(.notFound) }
        let back = "/workspaces/\(try access.workspace.requireID())/posts/\(try post.requireID())"
        return try await add(req, form, on: target, back: back) {
            try await PostPages.render(req, post: post, commentText: form.text ?? "", commentError: $0)
        }
    }

    @Sendable static func addToIdea(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let target = try await CommentsAPI.ideaTarget(req)
        let form = try req.content.decode(CommentForm.self)
        guard case let .idea(idea) = target else { throw Abort(.notFound) }
        let back = "/workspaces/\(try access.workspace.requireID())/ideas/\(try idea.requireID())"
        return try await add(req, form, on: target, back: back) {
            try await IdeaPages.renderIdea(req, idea: idea, commentText: form.text ?? "", commentError: $0)
        }
    }

    /// A new text for one's own comment, then back to what it is on.
    @Sendable static func edit(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.comments(on: req.db)
        let comment = try await service.comment(req.uuidParameter("comment"), in: access.workspace)
        let form = try req.content.decode(CommentForm.self)
        try await service.edit(comment, to: form.text ?? "", in: access.workspace, by: req.requireUser())
        return req.redirect(to: try back(from: comment, in: access))
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.comments(on: req.db)
        let comment = try await service.comment(req.uuidParameter("comment"), in: access.workspace)
        try await service.delete(comment, by: req.requireUser())
        return req.redirect(to: try back(from: comment, in: access))
    }

    private static func add(
        _ req: Request, _ form: CommentForm, on target: CommentService.Target, back: String, refused: (String) async throws -> Response
    ) async throws -> Response {
        do {
            try await req.wiring.comments(on: req.db).add(form.text ?? "", on: target, in: req.requireWorkspace().workspace, by: req.requireUser(),
                                                         requestingChanges: form.requestChanges == "on")
            return req.redirect(to: back + "#comments")
        } catch let error as ServiceError where !error.fields.isEmpty {
            let response = try await refused(error.fields.values.sorted().joined(separator: " "))
            response.status = error.status
            return response
        }
    }

    private static func back(from comment: Comment, in access: WorkspaceAccess) throws -> String {
        let base = "/workspaces/\(try access.workspace.requireID())"
        if let post = comment.postID { return "\(base)/posts/\(post)#comments" }
        if let idea = comment.ideaID { return "\(base)/ideas/\(idea)#comments" }
        return base
    }
}
