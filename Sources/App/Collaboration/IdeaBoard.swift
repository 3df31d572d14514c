import Fluent
import Foundation
import SQLKit

/// The ideas board: any member adds an idea to one of the workspace's columns, moves ideas
/// between columns and votes for them (once each, and everyone sees who voted); an idea becomes
/// a draft with one step, and the draft keeps the idea it came from.
struct IdeaBoard: Sendable {
    /// The columns a workspace starts with; it may rename, add, reorder and remove them.
    static let startingColumns = ["New", "Worth doing", "In progress", "Used"]
    static let mostColumns = 12
    static let mostIdeas = 5_000
    static let longestTitle = 200
    static let longestNote = 5_000
    static let longestColumnName = 40

    let db: any Database
    let wiring: Wiring

    enum Order: String, CaseIterable, Sendable {
        /// Most votes first; among equals, the newest.
        case votes
        /// Newest first.
        case age
    }

    /// What a member writes of an idea; nil leaves a field as it is (or empty, when adding).
    struct Input: Sendable {
        var title: String?
        var note: String?
        /// `.some(nil)`: none.
        var link: String??
        var image: UUID??
        /// A column's id or name; when adding, nil is the first column.
        var column: String?
    }

    /// An idea with what the board shows beside it.
    struct Card: Sendable {
        var idea: Idea
        var column: IdeaColumn
        var author: String?
        /// Who voted, oldest vote first.
        var voters: [Member]
        /// The drafts made from it, oldest first.
        var drafts: [UUID]
    }

    struct Member: Sendable, Equatable {
        var id: UUID
        var email: String
    }

    // MARK: Columns

    /// The workspace's columns in order; a workspace that never had any gets the starting ones.
    func columns(in workspace: Workspace) async throws -> [IdeaColumn] {
        let workspaceID = try workspace.requireID()
        let found = try await IdeaColumn.query(on: db).filter(\.$workspace.$id == workspaceID).sort(\.$position).all()
        guard found.isEmpty else { return found }
        // Two first looks at once each insert them; the unique name keeps one of each.
        let sql = db as! any SQLDatabase
        for (position, name) in Self.startingColumns.enumerated() {
            try await sql.insert(into: IdeaColumn.schema).columns("id", "workspace_id", "name", "name_key", "position")
                .values(SQLBind(UUID()), SQLBind(workspaceID), SQLBind(name), SQLBind(IdeaColumn.key(name)), SQLBind(position))
                .ignoringConflicts(with: ["workspace_id", "name_key"]).run()
        }
        return try await IdeaColumn.query(on: db).filter(\.$workspace.$id == workspaceID).sort(\.$position).all()
    }

    /// The column a person names by its id or its name, in any case.
    static func column(_ named: String, among columns: [IdeaColumn]) -> IdeaColumn? {
        let key = IdeaColumn.key(named)
        return columns.first { $0.id?.uuidString.lowercased() == key || $0.nameKey == key }
    }

    func column(_ id: UUID, in workspace: Workspace) async throws -> IdeaColumn {
        guard let column = try await IdeaColumn.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This column")
        }
        return column
    }

    /// A new column, last on the board.
    func addColumn(named raw: String, in workspace: Workspace) async throws -> IdeaColumn {
        let columns = try await columns(in: workspace)
        guard columns.count < Self.mostColumns else {
            throw ServiceError.invalid(["name": "A board has at most \(Self.mostColumns) columns; remove one first."], message: "The column was not added.")
        }
        let name = try Self.columnName(raw, among: columns, message: "The column was not added.")
        let column = IdeaColumn(workspaceID: try workspace.requireID(), name: name, position: (columns.map(\.position).max() ?? -1) + 1)
        try await column.create(on: db)
        return column
    }

    /// Renames the column and/or moves it to `position` (0 is first), the others closing up.
    func change(_ column: IdeaColumn, name raw: String?, position: Int?, in workspace: Workspace) async throws {
        var columns = try await columns(in: workspace)
        if let raw {
            column.rename(try Self.columnName(raw, among: columns.filter { $0.id != column.id }, message: "The column was not changed."))
        }
        columns.removeAll { $0.id == column.id }
        if let position {
            guard (0...columns.count).contains(position) else {
                throw ServiceError.invalid(["position": "Give a place from 0 (first) to \(columns.count) (last)."], message: "The column was not moved.")
            }
            columns.insert(column, at: position)
        } else {
            columns.insert(column, at: min(columns.count, columns.firstIndex { $0.position > column.position } ?? columns.count))
        }
        let ordered = columns
        try await db.transaction { db in
            for (place, each) in ordered.enumerated() {
                each.position = place
                try await each.save(on: db)
            }
        }
    }

    /// Removes an empty column; a board keeps at least one.
    func delete(_ column: IdeaColumn, in workspace: Workspace) async throws {
        let columns = try await columns(in: workspace)
        guard columns.count > 1 else {
            throw ServiceError.conflict("last_column", "A board keeps at least one column: rename this one instead.")
        }
        let held = try await Idea.query(on: db).filter(\.$column.$id == column.requireID()).count()
        guard held == 0 else {
            throw ServiceError.conflict("column_not_empty", "This column still holds \(held) idea\(held == 1 ? "" : "s"): move or delete them first.")
        }
        try await column.delete(on: db)
    }

    private static func columnName(_ raw: String, among others: [IdeaColumn], message: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.unicodeScalars.count <= longestColumnName, !name.contains(where: \.isNewline) else {
            throw ServiceError.invalid(["name": "Name the column in one line of at most \(longestColumnName) characters."], message: message)
        }
        guard !others.contains(where: { $0.nameKey == IdeaColumn.key(name) }) else {
            throw ServiceError.invalid(["name": "The board has a column named \(name) already."], message: message)
        }
        return name
    }

    // MARK: Ideas

    func add(_ input: Input, in workspace: Workspace, by member: User) async throws -> Idea {
        let columns = try await columns(in: workspace)
        let idea = Idea()
        idea.$workspace.id = try workspace.requireID()
        idea.$author.id = try member.requireID()
        idea.title = ""
        idea.note = ""
        try await apply(input, to: idea, columns: columns, in: workspace, message: "The idea was not added.")
        let count = try await Idea.query(on: db).filter(\.$workspace.$id == workspace.requireID()).count()
        guard count < Self.mostIdeas else {
            throw ServiceError.conflict("too_many_ideas", "The board holds \(Self.mostIdeas) ideas, its most: delete some that were used.")
        }
        try await idea.create(on: db)
        return idea
    }

    /// Any member moves an idea; its words, link and image are changed by its author or the
    /// workspace's owner.
    func change(_ idea: Idea, with input: Input, in access: WorkspaceAccess, by member: User) async throws {
        if input.title != nil || input.note != nil || input.link != nil || input.image != nil {
            try requireAuthorOrOwner(of: idea, access: access, member: member, doing: "change what it says")
        }
        try await apply(input, to: idea, columns: columns(in: access.workspace), in: access.workspace, message: "The idea was not changed.")
        try await idea.save(on: db)
    }

    func delete(_ idea: Idea, in access: WorkspaceAccess, by member: User) async throws {
        try requireAuthorOrOwner(of: idea, access: access, member: member, doing: "delete it")
        let ideaID = try idea.requireID()
        try await db.transaction { db in
            // Its drafts stay, no longer pointing at it.
            try await (db as! any SQLDatabase).update(Post.schema).set("idea_id", to: SQLLiteral.null).where("idea_id", .equal, SQLBind(ideaID)).run()
            try await idea.delete(on: db)
        }
    }

    func idea(_ id: UUID, in workspace: Workspace) async throws -> Idea {
        guard let idea = try await Idea.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This idea")
        }
        return idea
    }

    /// The board's ideas in `order`, of one column or of all.
    func cards(in workspace: Workspace, order: Order = .votes, column: IdeaColumn? = nil) async throws -> [Card] {
        let columns = try await columns(in: workspace)
        var query = try Idea.query(on: db).filter(\.$workspace.$id == workspace.requireID())
        if let column { query = try query.filter(\.$column.$id == column.requireID()) }
        let ideas = try await query.all()
        let cards = try await cards(for: ideas, columns: columns)
        switch order {
        case .age:
            return cards.sorted { ($0.idea.createdAt ?? .distantPast) > ($1.idea.createdAt ?? .distantPast) }
        case .votes:
            return cards.sorted { ($0.voters.count, $0.idea.createdAt ?? .distantPast) > ($1.voters.count, $1.idea.createdAt ?? .distantPast) }
        }
    }

    func card(for idea: Idea, in workspace: Workspace) async throws -> Card {
        try await cards(for: [idea], columns: columns(in: workspace))[0]
    }

    private func cards(for ideas: [Idea], columns: [IdeaColumn]) async throws -> [Card] {
        guard !ideas.isEmpty else { return [] }
        let ids = try ideas.map { try $0.requireID() }
        let sql = db as! any SQLDatabase
        var voters: [UUID: [Member]] = [:]
        for row in try await sql.select().column(SQLColumn("idea_id", table: "v")).column(SQLColumn("id", table: "u")).column(SQLColumn("email", table: "u"))
            .from(SQLAlias(SQLIdentifier(IdeaVote.schema), as: SQLIdentifier("v")))
            .join(SQLAlias(SQLIdentifier(User.schema), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "v"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("idea_id", table: "v"), .in, SQLBind.group(ids))
            .orderBy(SQLColumn("created_at", table: "v")).all() {
            voters[try row.decode(column: "idea_id", as: UUID.self), default: []]
                .append(Member(id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self)))
        }
        var drafts: [UUID: [UUID]] = [:]
        for row in try await sql.select().column("idea_id").column("id").from(Post.schema)
            .where("idea_id", .in, SQLBind.group(ids)).orderBy("created_at").all() {
            drafts[try row.decode(column: "idea_id", as: UUID.self), default: []].append(try row.decode(column: "id", as: UUID.self))
        }
        let authorIDs = Array(Set(ideas.compactMap { $0.$author.id }))
        let authors = authorIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ authorIDs).all()
        let emails = Dictionary(uniqueKeysWithValues: authors.compactMap { user in user.id.map { ($0, user.email) } })
        let byID = Dictionary(uniqueKeysWithValues: columns.compactMap { column in column.id.map { ($0, column) } })
        return ideas.compactMap { idea in
            guard let id = idea.id, let column = byID[idea.$column.id] else { return nil }
            return Card(idea: idea, column: column, author: idea.$author.id.flatMap { emails[$0] }, voters: voters[id] ?? [], drafts: drafts[id] ?? [])
        }
    }

    // MARK: Votes

    /// The member's vote for the idea; a second vote of theirs changes nothing.
    func vote(for idea: Idea, by member: User) async throws {
        try await (db as! any SQLDatabase).insert(into: IdeaVote.schema).columns("id", "idea_id", "user_id", "created_at")
            .values(SQLBind(UUID()), SQLBind(idea.requireID()), SQLBind(member.requireID()), SQLBind(wiring.clock.now()))
            .ignoringConflicts(with: ["idea_id", "user_id"]).run()
    }

    func withdrawVote(for idea: Idea, by member: User) async throws {
        try await IdeaVote.query(on: db).filter(\.$idea.$id == idea.requireID()).filter(\.$user.$id == member.requireID()).delete()
    }

    // MARK: Drafts

    /// A draft with the idea's words, link and image, which keeps the idea it came from.
    func makeDraft(of idea: Idea, in workspace: Workspace, by member: User) async throws -> Post {
        let text = [idea.title, idea.note, idea.link ?? ""]
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        var media: [UUID] = []
        if let image = idea.imageID { media = try await MediaService(db: db).items([image], in: workspace).compactMap(\.id) }
        return try await wiring.posts(on: db).create(.init(text: String(text.prefix(ComposeService.maximumTextLength)), media: media),
                                                     in: workspace, by: member, idea: idea.requireID())
    }

    // MARK: Rules

    private func apply(_ input: Input, to idea: Idea, columns: [IdeaColumn], in workspace: Workspace, message: String) async throws {
        var problems: [String: String] = [:]
        let title = (input.title ?? idea.title).trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.unicodeScalars.count > Self.longestTitle || title.contains(where: \.isNewline) {
            problems["title"] = "Say the idea in one line of at most \(Self.longestTitle) characters."
        }
        let note = (input.note ?? idea.note).withUnixLineBreaks.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.unicodeScalars.count > Self.longestNote {
            problems["note"] = "Keep the note under \(Self.longestNote) characters."
        }
        var link = idea.link
        if let given = input.link {
            let trimmed = given?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if trimmed.isEmpty { link = nil } else if let valid = try? LinkService.destination(trimmed) { link = valid } else {
                problems["link"] = "Give an address that starts with https:// or http://."
            }
        }
        var image = idea.imageID
        if let given = input.image {
            image = given
            if let given, (try? await MediaService(db: db).items([given], in: workspace)) == nil {
                problems["image"] = "No image \(given.uuidString) in this workspace; upload it first."
            }
        }
        // A new idea has no column yet: the first one, unless the input names another.
        var column = idea.$column.$id.value.flatMap { current in columns.first { $0.id == current } } ?? columns.first
        if let named = input.column {
            if let found = Self.column(named, among: columns) {
                column = found
            } else {
                problems["column"] = "The board has no column \(named.prefix(40)); its columns are \(columns.map(\.name).joined(separator: ", "))."
            }
        }
        guard problems.isEmpty, let column else { throw ServiceError.invalid(problems, message: message) }
        idea.title = title
        idea.note = note
        idea.link = link
        idea.imageID = image
        idea.$column.id = try column.requireID()
    }

    private func requireAuthorOrOwner(of idea: Idea, access: WorkspaceAccess, member: User, doing what: String) throws {
        guard try idea.$author.id == member.requireID() || access.membership.role == .owner else {
            throw ServiceError.forbidden("Only the idea's author or the workspace's owner can \(what); any member can vote for it or move it.")
        }
    }
}
