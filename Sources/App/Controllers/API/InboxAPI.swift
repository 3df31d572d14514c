import Foundation
import Networks
import Vapor

/// The workspace's inbox over the JSON API: read, take, answer, mark done.
enum InboxAPI {
    @Sendable static func list(_ req: Request) async throws -> InboxDTO {
        let workspace = try req.requireWorkspace().workspace
        let service = req.wiring.inbox(on: req.db)
        let items = try await service.items(in: workspace, try filter(req))
        return InboxDTO(items: try items.map { try InboxItemDTO($0) }, unread: try await service.unreadCount(in: workspace))
    }

    /// The item with its conversation as the network shows it now and the answers sent from
    /// Trestle; reading it marks it read.
    @Sendable static func show(_ req: Request) async throws -> InboxItemDTO {
        let service = req.wiring.inbox(on: req.db)
        let item = try await service.item(req.uuidParameter("inboxItem"), in: req.requireWorkspace().workspace)
        try await service.markRead(item)
        var dto = try InboxItemDTO(item)
        do {
            dto.conversation = try await service.conversation(of: item).map(InboxItemDTO.message)
        } catch let error as NetworkError {
            dto.conversationProblem = "\(item.network.displayName) could not show the conversation: \(error.description)"
        }
        dto.answers = try await service.answers(to: item).map { InboxItemDTO.Answer(text: $0.post.text, delivery: try DeliveryDTO($0.delivery)) }
        return dto
    }

    @Sendable static func change(_ req: Request) async throws -> InboxItemDTO {
        let body = try req.decodeBody(InboxItemChangeRequest.self)
        let workspace = try req.requireWorkspace().workspace
        let service = req.wiring.inbox(on: req.db)
        let item = try await service.item(req.uuidParameter("inboxItem"), in: workspace)
        let assignment: InboxService.Assignment? = body.assignee.map { $0.map(InboxService.Assignment.member) ?? .nobody }
        try await service.update(item, state: body.state, assignee: assignment, in: workspace)
        return try InboxItemDTO(item)
    }

    /// 201 with the answer's delivery, which the worker publishes as a reply to the item.
    @Sendable static func reply(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(InboxReplyRequest.self)
        let service = req.wiring.inbox(on: req.db)
        let item = try await service.item(req.uuidParameter("inboxItem"), in: req.requireWorkspace().workspace)
        let delivery = try await service.answer(item, with: body.text, by: req.requireUser(), markDone: body.markDone ?? false)
        return try await DeliveryDTO(delivery).encodeResponse(status: .created, for: req)
    }

    /// `DELETE …/inbox?channel=<handle>`: deletes what is kept of a disconnected channel's inbox.
    @Sendable static func deleteHistory(_ req: Request) async throws -> HTTPStatus {
        guard let handle = req.query[String.self, at: "channel"] else {
            throw ServiceError.invalid(["channel": "Name the disconnected channel by its handle."])
        }
        // A handle no disconnected channel had deletes nothing.
        _ = try await req.wiring.inbox(on: req.db).deleteHistory(of: handle, in: req.requireWorkspace().workspace)
        return .noContent
    }

    @Sendable static func savedReplies(_ req: Request) async throws -> [SavedReplyDTO] {
        try await req.wiring.inbox(on: req.db).savedReplies(in: req.requireWorkspace().workspace).map { try SavedReplyDTO($0) }
    }

    @Sendable static func saveReply(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(SavedReplyRequest.self)
        let reply = try await req.wiring.inbox(on: req.db).saveReply(title: body.title, text: body.text, in: req.requireWorkspace().workspace)
        return try await SavedReplyDTO(reply).encodeResponse(status: .created, for: req)
    }

    @Sendable static func deleteSavedReply(_ req: Request) async throws -> HTTPStatus {
        let service = req.wiring.inbox(on: req.db)
        try await service.deleteSavedReply(service.savedReply(req.uuidParameter("reply"), in: req.requireWorkspace().workspace))
        return .noContent
    }

    /// `?state=open|done|all&channel=&kind=&assignee=<member id>|nobody`; a value that is not
    /// one of these is a field error, not an empty list.
    private static func filter(_ req: Request) throws -> InboxService.Filter {
        var filter = InboxService.Filter()
        var problems: [String: String] = [:]
        if let state = req.query[String.self, at: "state"] {
            if state == "all" { filter.state = nil } else if let known = InboxItem.State(rawValue: state) { filter.state = known } else {
                problems["state"] = "Use open, done or all."
            }
        }
        if let channel = req.query[String.self, at: "channel"] {
            if let id = UUID(uuidString: channel) { filter.channelID = id } else { problems["channel"] = "Name a channel by its id." }
        }
        if let kind = req.query[String.self, at: "kind"] {
            if let known = InboxMessage.Kind(rawValue: kind) { filter.kind = known } else {
                problems["kind"] = "Use \(InboxMessage.Kind.allCases.map(\.rawValue).joined(separator: ", "))."
            }
        }
        if let assignee = req.query[String.self, at: "assignee"] {
            if assignee == "nobody" { filter.unassigned = true } else if let id = UUID(uuidString: assignee) { filter.assigneeID = id } else {
                problems["assignee"] = "Name a member by their id, or nobody."
            }
        }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The inbox cannot be narrowed that way.") }
        return filter
    }
}
