import Vapor

/// The answers a team gives often: listed, added (a title and the text), deleted. The reply
/// box of each inbox item offers them.
enum SavedReplyPages {
    struct ReplyLine: Encodable {
        var id: String
        var title: String
        var text: String
        var deleteURL: String
    }

    struct ListContext: Encodable {
        var page: PageContext
        var replies: [ReplyLine]
        var title: String
        var text: String
        var errors: FieldErrors
        var inboxURL: String
        var createURL: String
        var most: Int
    }

    struct ReplyForm: Content {
        var title: String?
        var text: String?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(ReplyForm.self)
        do {
            _ = try await req.wiring.inbox(on: req.db).saveReply(title: form.title ?? "", text: form.text ?? "", in: access.workspace)
            return req.redirect(to: InboxURL.savedReplies(try access.workspace.requireID()))
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, form: form, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.inbox(on: req.db)
        try await service.deleteSavedReply(service.savedReply(req.uuidParameter("reply"), in: access.workspace))
        return req.redirect(to: InboxURL.savedReplies(try access.workspace.requireID()))
    }

    private static func render(_ req: Request, form: ReplyForm? = nil, errors: FieldErrors = [:], status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.requireWorkspace()
        let workspaceID = try access.workspace.requireID()
        let replies = try await req.wiring.inbox(on: req.db).savedReplies(in: access.workspace).map { reply in
            let id = try reply.requireID()
            return ReplyLine(id: id.uuidString, title: reply.title, text: reply.text, deleteURL: InboxURL.deleteSavedReply(workspaceID, id))
        }
        let context = ListContext(
            page: try await .load(req, title: "Saved replies · \(access.workspace.name)", in: access), replies: replies,
            title: form?.title ?? "", text: form?.text ?? "", errors: errors, inboxURL: InboxURL.list(workspaceID),
            createURL: InboxURL.savedReplies(workspaceID), most: InboxService.mostSavedReplies
        )
        return try await req.page("saved-replies", context, status: status)
    }
}
