import Fluent
import Foundation
import Networks
import SQLKit
import TextRules

/// The inbox: what people say to the business on its channels, heard by polling each channel
/// (and by a stream where the network pushes), kept once per message, and worked by members —
/// taken, answered, done.
struct InboxService: Sendable {
    let db: any Database
    let wiring: Wiring

    /// What a list of items is narrowed to.
    struct Filter: Sendable, Equatable {
        var state: InboxItem.State? = .open
        var channelID: UUID?
        var kind: InboxMessage.Kind?
        var assigneeID: UUID?
        /// Only items nobody has taken.
        var unassigned = false
        /// The newest this many.
        var limit = 100
    }

    /// The workspace's items, newest first.
    func items(in workspace: Workspace, _ filter: Filter = Filter()) async throws -> [InboxItem] {
        var query = InboxItem.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
        if let state = filter.state { query = query.filter(\.$state == state) }
        if let channelID = filter.channelID { query = query.filter(\.$channel.$id == channelID) }
        if let kind = filter.kind { query = query.filter(\.$kind == kind) }
        if let assigneeID = filter.assigneeID { query = query.filter(\.$assignee.$id == assigneeID) }
        if filter.unassigned { query = query.filter(\.$assignee.$id == nil) }
        return try await query.sort(\.$saidAt, .descending).limit(max(1, min(filter.limit, 500))).all()
    }

    /// One item of the workspace; another workspace's is not found (invariant 5).
    func item(_ id: UUID, in workspace: Workspace) async throws -> InboxItem {
        guard let item = try await InboxItem.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This inbox item")
        }
        return item
    }

    /// Open items no member has opened yet, for the navigation.
    func unreadCount(in workspace: Workspace) async throws -> Int {
        try await InboxItem.query(on: db).filter(\.$workspace.$id == workspace.requireID())
            .filter(\.$state == .open).filter(\.$readAt == nil).count()
    }

    /// A member opened the item: it is read for the whole team.
    func markRead(_ item: InboxItem) async throws {
        guard item.readAt == nil else { return }
        item.readAt = wiring.clock.now()
        try await item.save(on: db)
        wiring.inbox.changed(item.$workspace.id)
    }

    /// Done or open again, and who has it; `assignee` is a member of the workspace or nobody.
    /// An item whose channel was disconnected is kept to read, not to work.
    func update(_ item: InboxItem, state: InboxItem.State?, assignee: Assignment?, in workspace: Workspace) async throws {
        guard !item.isReadOnly else {
            throw ServiceError.conflict("channel_disconnected", "\(item.channelHandle) was disconnected: its inbox is kept to read, not to work.")
        }
        if let state { item.state = state }
        switch assignee {
        case nil: break
        case .nobody: item.$assignee.id = nil
        case let .member(userID):
            let isMember = try await Membership.query(on: db).filter(\.$workspace.$id == workspace.requireID()).filter(\.$user.$id == userID).count() > 0
            guard isMember else { throw ServiceError.invalid(["assignee": "Choose a member of this workspace."]) }
            item.$assignee.id = userID
        }
        if item.readAt == nil { item.readAt = wiring.clock.now() }
        try await item.save(on: db)
        wiring.inbox.changed(item.$workspace.id)
    }

    enum Assignment: Sendable, Equatable {
        case nobody
        case member(UUID)
    }

    /// Deletes what is kept of a disconnected channel's inbox (items with no channel), by the
    /// handle it had.
    func deleteHistory(of channelHandle: String, in workspace: Workspace) async throws -> Int {
        let items = InboxItem.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
            .filter(\.$channel.$id == nil).filter(\.$channelHandle == channelHandle)
        let count = try await items.count()
        try await items.delete()
        wiring.inbox.changed(try workspace.requireID())
        return count
    }
}
