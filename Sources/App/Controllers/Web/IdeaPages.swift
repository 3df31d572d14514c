import Vapor

/// The ideas board on the web: columns of ideas any member adds to, votes for and drags
/// between columns (or moves with the column menu, without a mouse), and turns into drafts.
enum IdeaPages {
    struct Voter: Encodable {
        var email: String
    }

    struct Card: Encodable {
        var id: String
        var title: String
        var note: String
        var link: String?
        var imageURL: String?
        var imageAlt: String
        var author: String
        var votes: Int
        var voters: String
        var votedByMe: Bool
        var mayEdit: Bool
        var drafts: [String]
        var columnID: String
        var createdAt: Date
        var url: String
    }

    struct Column: Encodable {
        var id: String
        var name: String
        var cards: [Card]
        var url: String
    }

    struct ColumnChoice: Encodable {
        var id: String
        var name: String
    }

    struct Image: Encodable {
        var id: String
        var name: String
    }

    struct BoardContext: Encodable {
        var page: PageContext
        var columns: [Column]
        var choices: [ColumnChoice]
        var images: [Image]
        var byVotes: Bool
        var baseURL: String
        var postsURL: String
        var form: IdeaForm
        var columnName: String
        var errors: FieldErrors
        var columnErrors: FieldErrors
        var mostColumns: Int
    }

    struct IdeaForm: Content, Encodable {
        var title: String?
        var note: String?
        var link: String?
        var image: String?
        var column: String?
    }

    struct ColumnForm: Content {
        var name: String?
        var position: Int?
    }

    struct VoteForm: Content {
        /// "on" to vote, anything else to take the vote back.
        var vote: String?
    }

    @Sendable static func board(_ req: Request) async throws -> Response {
        try await render(req)
    }

    struct IdeaContext: Encodable {
        var page: PageContext
        var boardURL: String
        var title: String
        var note: String
        var link: String?
        var author: String
        var column: String
        var votes: Int
        var voters: String
        var comments: [CommentPages.Line]
        var commentURL: String
        var commentText: String
        var commentError: String?
        var canRequestChanges: Bool
    }

    /// One idea with its comments.
    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        return try await renderIdea(req, idea: req.wiring.ideas(on: req.db).idea(req.uuidParameter("idea"), in: access.workspace))
    }

    static func renderIdea(_ req: Request, idea: Idea, commentText: String = "", commentError: String? = nil) async throws -> Response {
        let access = try req.requireWorkspace()
        let card = try await req.wiring.ideas(on: req.db).card(for: idea, in: access.workspace)
        let base = try boardURL(access)
        let context = IdeaContext(
            page: try await .load(req, title: "\(idea.title) · Ideas", in: access), boardURL: base, title: idea.title, note: idea.note, link: idea.link,
            author: card.author ?? "a former member", column: card.column.name, votes: card.voters.count, voters: card.voters.map(\.email).joined(separator: ", "),
            comments: CommentPages.lines(try await req.wiring.comments(on: req.db).comments(on: .idea(idea)), for: try req.requireUser(),
                                         workspaceID: try access.workspace.requireID()),
            commentURL: "\(base)/\(try idea.requireID().uuidString)/comments", commentText: commentText, commentError: commentError, canRequestChanges: false
        )
        return try await req.page("idea", context, status: commentError == nil ? .ok : .unprocessableEntity)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(IdeaForm.self)
        let image = form.image.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        do {
            _ = try await req.wiring.ideas(on: req.db).add(
                .init(title: form.title ?? "", note: form.note ?? "", link: .some(form.link), image: .some(image), column: form.column.flatMap { $0.isEmpty ? nil : $0 }),
                in: access.workspace, by: req.requireUser())
            return req.redirect(to: try boardURL(access))
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, form: form, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func move(_ req: Request) async throws -> Response {
        let form = try req.content.decode(IdeaForm.self)
        return try await onIdea(req) { board, idea, access in
            try await board.change(idea, with: .init(column: form.column ?? ""), in: access, by: req.requireUser())
        }
    }

    @Sendable static func vote(_ req: Request) async throws -> Response {
        let form = try req.content.decode(VoteForm.self)
        return try await onIdea(req) { board, idea, _ in
            if form.vote == "on" { try await board.vote(for: idea, by: req.requireUser()) } else { try await board.withdrawVote(for: idea, by: req.requireUser()) }
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        try await onIdea(req) { board, idea, access in try await board.delete(idea, in: access, by: req.requireUser()) }
    }

    /// Makes the draft and opens it in the composer.
    @Sendable static func draft(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let board = req.wiring.ideas(on: req.db)
        let post = try await board.makeDraft(of: board.idea(req.uuidParameter("idea"), in: access.workspace), in: access.workspace, by: req.requireUser())
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID().uuidString)/posts/\(try post.requireID().uuidString)/edit")
    }

    @Sendable static func createColumn(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(ColumnForm.self)
        do {
            _ = try await req.wiring.ideas(on: req.db).addColumn(named: form.name ?? "", in: access.workspace)
            return req.redirect(to: try boardURL(access))
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, columnName: form.name ?? "", columnErrors: error.fields, status: error.status)
        }
    }

    @Sendable static func changeColumn(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(ColumnForm.self)
        let board = req.wiring.ideas(on: req.db)
        do {
            try await board.change(board.column(req.uuidParameter("column"), in: access.workspace), name: form.name, position: form.position, in: access.workspace)
            return req.redirect(to: try boardURL(access))
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, columnErrors: error.fields, status: error.status)
        }
    }

    @Sendable static func deleteColumn(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let board = req.wiring.ideas(on: req.db)
        do {
            try await board.delete(board.column(req.uuidParameter("column"), in: access.workspace), in: access.workspace)
            return req.redirect(to: try boardURL(access))
        } catch let error as ServiceError where error.kind == .conflict {
            return try await render(req, columnErrors: ["column": error.message], status: error.status)
        }
    }

    /// Does `work` to the idea in the path, then shows the board again.
    private static func onIdea(_ req: Request, _ work: (IdeaBoard, Idea, WorkspaceAccess) async throws -> Void) async throws -> Response {
        let access = try req.requireWorkspace()
        let board = req.wiring.ideas(on: req.db)
        try await work(board, board.idea(req.uuidParameter("idea"), in: access.workspace), access)
        return req.redirect(to: try boardURL(access) + (req.query[String.self, at: "sort"] == "age" ? "?sort=age" : ""))
    }

    private static func boardURL(_ access: WorkspaceAccess) throws -> String {
        "/workspaces/\(try access.workspace.requireID().uuidString)/ideas"
    }

    private static func render(
        _ req: Request, form: IdeaForm = .init(), errors: FieldErrors = [:], columnName: String = "", columnErrors: FieldErrors = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let caller = try req.requireUser()
        let base = try boardURL(access)
        let byVotes = req.query[String.self, at: "sort"] != "age"
        let board = req.wiring.ideas(on: req.db)
        let columns = try await board.columns(in: access.workspace)
        let cards = try await board.cards(in: access.workspace, order: byVotes ? .votes : .age)
        let media = try await MediaService(db: req.db).media(in: access.workspace).filter { !$0.format.isVideo }
        let alts = Dictionary(uniqueKeysWithValues: media.compactMap { item in item.id.map { ($0, item.altText) } })
        let workspacePath = "/workspaces/\(try access.workspace.requireID().uuidString)"
        let isOwner = access.membership.role == .owner
        let laidOut = try columns.map { column in
            let columnID = try column.requireID()
            return Column(id: columnID.uuidString, name: column.name, cards: try cards.filter { $0.column.id == columnID }.map { card in
                let id = try card.idea.requireID()
                return Card(
                    id: id.uuidString, title: card.idea.title, note: card.idea.note, link: card.idea.link,
                    imageURL: card.idea.imageID.map { "\(workspacePath)/media/\($0.uuidString)/content" },
                    imageAlt: card.idea.imageID.flatMap { alts[$0] } ?? "",
                    author: card.author ?? "a former member", votes: card.voters.count,
                    voters: card.voters.map(\.email).joined(separator: ", "),
                    votedByMe: try card.voters.contains { try $0.id == caller.requireID() },
                    mayEdit: try isOwner || card.idea.$author.id == caller.requireID(),
                    drafts: card.drafts.map { "\(workspacePath)/posts/\($0.uuidString)/edit" },
                    columnID: columnID.uuidString, createdAt: card.idea.createdAt ?? Date(), url: "\(base)/\(id.uuidString)"
                )
            }, url: "\(base)/columns/\(columnID.uuidString)")
        }
        let context = BoardContext(
            page: try await .load(req, title: "Ideas · \(access.workspace.name)", in: access),
            columns: laidOut, choices: laidOut.map { ColumnChoice(id: $0.id, name: $0.name) },
            images: media.compactMap { item in item.id.map { Image(id: $0.uuidString, name: item.altText.isEmpty ? item.filename : item.altText) } },
            byVotes: byVotes, baseURL: base, postsURL: "\(workspacePath)/posts", form: form, columnName: columnName,
            errors: errors, columnErrors: columnErrors, mostColumns: IdeaBoard.mostColumns
        )
        return try await req.page("ideas", context, status: status)
    }
}
