import Fluent
import Foundation

/// Comments on posts (drafts and scheduled ones) and ideas. A comment may ask the post's author
/// for changes and may mention members by `@name`; each is an entry of the activity feed, and
/// the members it concerns get a notification of it. A comment is edited or deleted by its author.
struct CommentService: Sendable {
    static let longestText = 5_000
    static let mostPerTarget = 1_000

    let db: any Database
    let wiring: Wiring

    enum Target: Sendable {
        case post(Post)
        case idea(Idea)
    }

    struct Entry: Sendable {
        var comment: Comment
        /// The author's email; nil once they left.
        var author: String?
    }

    func comments(on target: Target) async throws -> [Entry] {
        let comments = try await query(on: target).sort(\.$createdAt).sort(\.$id).all()
        let authorIDs = Array(Set(comments.compactMap { $0.$author.id }))
        let authors = authorIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ authorIDs).all()
        let emails = Dictionary(uniqueKeysWithValues: authors.compactMap { user in user.id.map { ($0, user.email) } })
        return comments.map { Entry(comment: $0, author: $0.$author.id.flatMap { emails[$0] }) }
    }

    func comment(_ id: UUID, in workspace: Workspace) async throws -> Comment {
        guard let comment = try await Comment.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This comment")
        }
        return comment
    }

    @discardableResult
    func add(_ raw: String, on target: Target, in workspace: Workspace, by member: User, requestingChanges: Bool = false) async throws -> Comment {
        let text = try Self.checked(raw, message: "The comment was not added.")
        if requestingChanges, case .idea = target {
            throw ServiceError.invalid(["requestChanges": "Changes are asked of a post's author; an idea is changed by moving or editing it."],
                                       message: "The comment was not added.")
        }
        guard try await query(on: target).count() < Self.mostPerTarget else {
            throw ServiceError.conflict("too_many_comments", "This has \(Self.mostPerTarget) comments, the most it keeps.")
        }
        let comment = Comment()
        comment.$workspace.id = try workspace.requireID()
        comment.$author.id = try member.requireID()
        comment.text = text
        comment.requestsChanges = requestingChanges
        var notify = try await mentioned(in: text, workspace: workspace)
        let about: String
        var postID: UUID?
        switch target {
        case let .post(post):
            comment.postID = try post.requireID()
            postID = comment.postID
            about = ActivityLog.excerpt(of: post)
            if requestingChanges, let author = post.$author.id { notify.insert(author) }
        case let .idea(idea):
            comment.ideaID = try idea.requireID()
            about = "the idea \(idea.title)"
        }
        let (concerned, onPost) = (notify, postID)
        try await db.transaction { db in
            try await comment.create(on: db)
            try await wiring.activity(on: db).record(requestingChanges ? .requestedChanges : .commented, in: comment.$workspace.id,
                                                     by: member.requireID(), post: onPost, "On \(about): \(Self.excerpt(text))", notify: concerned)
        }
        return comment
    }

    /// A new text for the author's comment; members mentioned for the first time hear of it.
    func edit(_ comment: Comment, to raw: String, in workspace: Workspace, by member: User) async throws {
        try requireAuthor(of: comment, member: member, doing: "edit")
        let text = try Self.checked(raw, message: "The comment was not changed.")
        let before = try await mentioned(in: comment.text, workspace: workspace)
        let newlyMentioned = try await mentioned(in: text, workspace: workspace).subtracting(before)
        comment.text = text
        try await db.transaction { db in
            try await comment.save(on: db)
            guard !newlyMentioned.isEmpty else { return }
            try await wiring.activity(on: db).record(.commented, in: comment.$workspace.id, by: member.requireID(), post: comment.postID,
                                                     "Edited a comment: \(Self.excerpt(text))", notify: newlyMentioned)
        }
    }

    func delete(_ comment: Comment, by member: User) async throws {
        try requireAuthor(of: comment, member: member, doing: "delete")
        try await comment.delete(on: db)
    }

    private func query(on target: Target) throws -> QueryBuilder<Comment> {
        switch target {
        case let .post(post): try Comment.query(on: db).filter(\.$postID == post.requireID())
        case let .idea(idea): try Comment.query(on: db).filter(\.$ideaID == idea.requireID())
        }
    }

    private func mentioned(in text: String, workspace: Workspace) async throws -> Set<UUID> {
        guard text.contains("@") else { return [] }
        let members = try await WorkspaceService(db: db).members(of: workspace).compactMap { member in member.user.id.map { ($0, member.user.email) } }
        return Mentions.members(in: text, among: members)
    }

    private func requireAuthor(of comment: Comment, member: User, doing what: String) throws {
        guard try comment.$author.id == member.requireID() else {
            throw ServiceError.forbidden("Only the comment's author can \(what) it.")
        }
    }

    private static func checked(_ raw: String, message: String) throws -> String {
        let text = raw.withUnixLineBreaks.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.unicodeScalars.count <= longestText else {
            throw ServiceError.invalid(["text": "Write a comment of at most \(longestText) characters."], message: message)
        }
        return text
    }

    private static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 140 ? String(line.prefix(139)) + "…" : line
    }
}
