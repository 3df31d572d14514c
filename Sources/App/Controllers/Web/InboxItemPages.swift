import Fluent
import Networks
import Vapor

/// One inbox item on its own page: the conversation as the network shows it, the answers sent
/// from Trestle with where each stands, and the forms to answer, assign and mark it done.
/// Opening it marks it read for the whole team.
enum InboxItemPages {
    struct ConversationLine: Encodable {
        var authorName: String
        var authorHandle: String
        var authorURL: String?
        var avatarURL: String?
        var html: String
        var saidAt: Date
        var url: String?
        /// The item itself, among the posts around it.
        var isItem: Bool
    }

    struct AnswerLine: Encodable {
        var text: String
        var author: String?
        var state: String
        var scheduledAt: Date
        var publishedAt: Date?
        var remoteURL: String?
        var error: String?
    }

    struct SavedReplyOption: Encodable {
        var id: String
        var title: String
        var text: String
    }

    struct MemberOption: Encodable {
        var id: String
        var email: String
        var selected: Bool
    }

    /// What the reply box's counter asks the composer's check about.
    struct Counter: Encodable {
        var checkURL: String
        var channelID: String
        var limit: Int
        /// What the network needs around the answer to reach the author (Mastodon: their
        /// handle), counted with it.
        var prefix: String
        var suffix: String
        /// The same, as the hint under the box names it.
        var added: String
    }

    struct ItemContext: Encodable {
        var page: PageContext
        var item: ItemLine
        var conversation: [ConversationLine]
        /// Why the conversation is not shown, in a calm sentence.
        var conversationNote: String?
        var answers: [AnswerLine]
        var members: [MemberOption]
        var savedReplies: [SavedReplyOption]
        var reply: String
        var markDone: Bool
        var errors: FieldErrors
        var counter: Counter?
        var listURL: String
        var answerURL: String
        var assigneeURL: String
        var savedRepliesURL: String
        var here: String
    }

    struct AnswerForm: Content {
        var text: String?
        /// Sent only when "Mark done after sending" is ticked.
        var done: String?
    }

    struct ShowQuery: Content {
        /// A saved reply to put in the reply box (the picker without JavaScript).
        var reply: String?
    }

    /// How long a page waits for the network's conversation before it shows the item without it.
    static let conversationWait: Duration = .seconds(5)

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.inbox(on: req.db)
        let item = try await service.item(req.uuidParameter("inboxItem"), in: access.workspace)
        try await service.markRead(item)
        var reply = ""
        if let chosen = try req.query.decode(ShowQuery.self).reply.flatMap(UUID.init(uuidString:)) {
            reply = try await service.savedReply(chosen, in: access.workspace).text
        }
        return try await render(req, item, reply: reply)
    }

    /// Sends the answer now, as a reply to the item on its network.
    @Sendable static func answer(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.inbox(on: req.db)
        let item = try await service.item(req.uuidParameter("inboxItem"), in: access.workspace)
        let form = try req.content.decode(AnswerForm.self)
        do {
            _ = try await service.answer(item, with: form.text ?? "", by: req.requireUser(), markDone: form.done != nil)
            return req.redirect(to: InboxURL.item(try access.workspace.requireID(), try item.requireID()) + "#answers")
        } catch let error as ServiceError where error.kind == .invalid || error.kind == .conflict {
            // Said beside the reply box, with the text kept.
            let message = error.fields["text"] ?? error.message
            return try await render(req, item, reply: form.text ?? "", markDone: form.done != nil, errors: ["text": message], status: error.status)
        }
    }

    private static func render(
        _ req: Request, _ item: InboxItem, reply: String, markDone: Bool = true, errors: FieldErrors = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let workspaceID = try access.workspace.requireID()
        let itemID = try item.requireID()
        let service = req.wiring.inbox(on: req.db)
        let members = try await WorkspaceService(db: req.db).members(of: access.workspace)
        let emails = Dictionary(try members.map { (try $0.user.requireID(), $0.user.email) }, uniquingKeysWith: { first, _ in first })
        let line = try ItemLine(item, in: workspaceID, assignees: emails)
        let (messages, note) = await conversation(of: item, on: req)
        let answers = try await service.answers(to: item).map { answer in
            AnswerLine(
                text: answer.post.text, author: answer.post.$author.id.flatMap { emails[$0] }, state: answer.delivery.state.rawValue,
                scheduledAt: answer.delivery.scheduledAt, publishedAt: answer.delivery.publishedAt,
                remoteURL: ItemLine.webAddress(answer.delivery.remoteURL), error: answer.delivery.error
            )
        }
        let context = ItemContext(
            page: try await .load(req, title: "\(item.authorName) · Inbox · \(access.workspace.name)", in: access),
            item: line,
            conversation: messages.map { message in
                ConversationLine(
                    authorName: message.author.name, authorHandle: message.author.handle, authorURL: ItemLine.webAddress(message.author.profileURL),
                    avatarURL: ItemLine.pictureAddress(message.author.avatarURL), html: message.html, saidAt: message.createdAt,
                    url: ItemLine.webAddress(message.url), isItem: message.remoteID == item.remoteID
                )
            },
            conversationNote: note, answers: answers,
            members: members.compactMap { member in
                member.user.id.map { MemberOption(id: $0.uuidString, email: member.user.email, selected: $0 == item.$assignee.id) }
            },
            savedReplies: try await service.savedReplies(in: access.workspace).map { SavedReplyOption(id: try $0.requireID().uuidString, title: $0.title, text: $0.text) },
            reply: reply, markDone: markDone, errors: errors, counter: try await counter(for: item, on: req),
            listURL: InboxURL.list(workspaceID), answerURL: InboxURL.answer(workspaceID, itemID), assigneeURL: InboxURL.assignee(workspaceID, itemID),
            savedRepliesURL: InboxURL.savedReplies(workspaceID), here: InboxURL.item(workspaceID, itemID)
        )
        let response = try await req.page("inbox-item", context, status: status)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: ItemLine.picturePolicy)
        return response
    }

    /// The conversation, or — when the network cannot show it now — none and a sentence
    /// saying so: the page never fails because a network is slow or down.
    private static func conversation(of item: InboxItem, on req: Request) async -> ([InboxMessage], String?) {
        let service = req.wiring.inbox(on: req.db)
        let network = item.network.displayName
        do {
            let messages = try await withThrowingTaskGroup(of: [InboxMessage]?.self) { group in
                group.addTask { try await service.conversation(of: item) }
                group.addTask {
                    try await Task.sleep(for: conversationWait)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let messages else {
                return ([], "\(network) took too long to show the conversation around this message. Reload the page to try again.")
            }
            return (messages, nil)
        } catch let error as NetworkError {
            return ([], "The conversation around this message could not be read from \(network) just now: \(error.description)")
        } catch {
            req.logger.warning("Reading the conversation of an inbox item failed: \(String(reflecting: error))")
            return ([], "The conversation around this message could not be read from \(network) just now.")
        }
    }

    /// The reply box's counter, by the channel's own limit; none when the item is read-only.
    private static func counter(for item: InboxItem, on req: Request) async throws -> Counter? {
        let access = try req.requireWorkspace()
        guard let channelID = item.$channel.id,
              let channel = try await Channel.query(on: req.db).filter(\.$id == channelID).filter(\.$workspace.$id == access.workspace.requireID()).first()
        else { return nil }
        // What the reader puts around an answer, found by asking it to wrap a marker.
        var prefix = "", suffix = ""
        if let reader = req.wiring.inboxReaders.reader(for: channel.network) {
            let marker = "\u{FFFC}"
            let person = InboxAuthor(name: item.authorName, handle: item.authorHandle, avatarURL: item.authorAvatarURL, profileURL: item.authorURL)
            let wrapped = reader.answerText(marker, answering: person)
            if let range = wrapped.range(of: marker) {
                prefix = String(wrapped[..<range.lowerBound])
                suffix = String(wrapped[range.upperBound...])
            }
        }
        return Counter(
            checkURL: InboxURL.composeCheck(try access.workspace.requireID()), channelID: channelID.uuidString,
            limit: channel.textRules.rules(for: channel.network).limit, prefix: prefix, suffix: suffix,
            added: (prefix + " " + suffix).trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }
}
