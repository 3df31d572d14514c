import Foundation
import Vapor

/// The ideas board over the JSON API: ideas, votes, columns, and drafts made from ideas.
enum IdeasAPI {
    /// `?sort=votes|age` (votes by default) `&column=<id or name>`.
    @Sendable static func list(_ req: Request) async throws -> [IdeaDTO] {
        let workspace = try req.requireWorkspace().workspace
        let board = req.wiring.ideas(on: req.db)
        var problems: [String: String] = [:]
        var order = IdeaBoard.Order.votes
        if let sort = req.query[String.self, at: "sort"] {
            if let known = IdeaBoard.Order(rawValue: sort) { order = known } else { problems["sort"] = "Sort by votes or age." }
        }
        var column: IdeaColumn?
        if let named = req.query[String.self, at: "column"] {
            column = IdeaBoard.column(named, among: try await board.columns(in: workspace))
            if column == nil { problems["column"] = "The board has no column \(named.prefix(40))." }
        }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The ideas cannot be listed that way.") }
        let caller = try req.requireUser()
        return try await board.cards(in: workspace, order: order, column: column).map { try IdeaDTO($0, for: caller) }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(IdeaRequest.self)
        let workspace = try req.requireWorkspace().workspace
        let board = req.wiring.ideas(on: req.db)
        let idea = try await board.add(body.input, in: workspace, by: req.requireUser())
        return try await IdeaDTO(board.card(for: idea, in: workspace), for: req.requireUser()).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> IdeaDTO {
        try await answer(req) { _, _ in }
    }

    @Sendable static func change(_ req: Request) async throws -> IdeaDTO {
        let body = try req.decodeBody(IdeaRequest.self)
        return try await answer(req) { board, idea in
            try await board.change(idea, with: body.input, in: req.requireWorkspace(), by: req.requireUser())
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let access = try req.requireWorkspace()
        let board = req.wiring.ideas(on: req.db)
        try await board.delete(board.idea(req.uuidParameter("idea"), in: access.workspace), in: access, by: req.requireUser())
        return .noContent
    }

    /// The caller's vote; voting again changes nothing.
    @Sendable static func vote(_ req: Request) async throws -> IdeaDTO {
        try await answer(req) { board, idea in try await board.vote(for: idea, by: req.requireUser()) }
    }

    @Sendable static func withdrawVote(_ req: Request) async throws -> IdeaDTO {
        try await answer(req) { board, idea in try await board.withdrawVote(for: idea, by: req.requireUser()) }
    }

    /// 201 with a draft of the idea's words, link and image; the idea lists it among its drafts.
    @Sendable static func draft(_ req: Request) async throws -> Response {
        let workspace = try req.requireWorkspace().workspace
        let board = req.wiring.ideas(on: req.db)
        let post = try await board.makeDraft(of: board.idea(req.uuidParameter("idea"), in: workspace), in: workspace, by: req.requireUser())
        return try await PostDTO(post).encodeResponse(status: .created, for: req)
    }

    @Sendable static func columns(_ req: Request) async throws -> [IdeaColumnDTO] {
        try await req.wiring.ideas(on: req.db).columns(in: req.requireWorkspace().workspace).map(IdeaColumnDTO.init)
    }

    @Sendable static func createColumn(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(IdeaColumnRequest.self)
        let workspace = try req.requireWorkspace().workspace
        let board = req.wiring.ideas(on: req.db)
        if let position = body.position, position < 0 || position >= IdeaBoard.mostColumns {
            throw ServiceError.invalid(["position": "Give a place from 0 (first) on."], message: "The column was not added.")
        }
        let column = try await board.addColumn(named: body.name ?? "", in: workspace)
        // At a place of its own: moved there once it exists (a place past the end is the end).
        if let position = body.position {
            try await board.change(column, name: nil, position: min(position, try await board.columns(in: workspace).count - 1), in: workspace)
        }
        return try await IdeaColumnDTO(column).encodeResponse(status: .created, for: req)
    }

    @Sendable static func changeColumn(_ req: Request) async throws -> IdeaColumnDTO {
        let body = try req.decodeBody(IdeaColumnRequest.self)
        let workspace = try req.requireWorkspace().workspace
        let board = req.wiring.ideas(on: req.db)
        let column = try await board.column(req.uuidParameter("column"), in: workspace)
        try await board.change(column, name: body.name, position: body.position, in: workspace)
        return try IdeaColumnDTO(column)
    }

    @Sendable static func deleteColumn(_ req: Request) async throws -> HTTPStatus {
        let workspace = try req.requireWorkspace().workspace
        let board = req.wiring.ideas(on: req.db)
        try await board.delete(board.column(req.uuidParameter("column"), in: workspace), in: workspace)
        return .noContent
    }

    /// Does `work` to the idea named in the path, then answers with it as it is now.
    private static func answer(_ req: Request, _ work: (IdeaBoard, Idea) async throws -> Void) async throws -> IdeaDTO {
        let workspace = try req.requireWorkspace().workspace
        let board = req.wiring.ideas(on: req.db)
        let idea = try await board.idea(req.uuidParameter("idea"), in: workspace)
        try await work(board, idea)
        return try await IdeaDTO(board.card(for: idea, in: workspace), for: req.requireUser())
    }
}
