import Fluent
import Foundation
import Networks

/// Answering from Trestle: an answer is a post of one part with one delivery to the item's
/// channel, replying to the item, so it is published exactly once like any post (invariant 1)
/// and ends published or failed with a reason; and the answers a team keeps to give often.
extension InboxService {
    /// Sends `text` as a reply to the item, now; returns the answer's delivery. The text is
    /// checked by the channel's own rules first, and nothing is made when it does not fit.
    func answer(_ item: InboxItem, with text: String, by author: User?, markDone: Bool = false) async throws -> Delivery {
        guard let channelID = item.$channel.id, let channel = try await Channel.find(channelID, on: db) else {
            throw ServiceError.conflict("channel_disconnected", "\(item.channelHandle) was disconnected: connect it again to answer from it.")
        }
        let written = text.withUnixLineBreaks.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !written.isEmpty else { throw ServiceError.invalid(["text": "Write something: an answer needs text."], message: "Nothing was sent.") }
        guard written.utf16.count <= ComposeService.maximumTextLength else {
            throw ServiceError.invalid(["text": "This text is longer than any network accepts."], message: "Nothing was sent.")
        }
        try check(written, on: channel)
        guard let reader = wiring.inboxReaders.reader(for: channel.network) else {
            throw ServiceError.conflict("cannot_answer", "Trestle cannot answer on \(channel.network.displayName) yet.")
        }
        let person = InboxAuthor(name: item.authorName, handle: item.authorHandle, avatarURL: item.authorAvatarURL, profileURL: item.authorURL)
        // What the network needs added (the author's handle) must fit as well.
        let answer = reader.answerText(written, answering: person)
        if answer != written { try check(answer, on: channel) }
        let itemPart = PublishedPart(remoteID: item.remoteID, url: item.remoteURL, cid: item.remoteCID)
        let target = Delivery.ReplyTarget(root: item.root ?? itemPart, parent: itemPart, isDirect: item.isPrivate)
        let delivery = try await db.transaction { db -> Delivery in
            let post = Post(workspaceID: item.$workspace.id, authorID: try author.map { try $0.requireID() }, text: answer, thread: [])
            post.answersItemID = try item.requireID()
            try await post.create(on: db)
            try await wiring.deliveries(on: db).schedule(post, to: [channel], when: .now)
            try await post.save(on: db)
            guard let delivery = try await Delivery.query(on: db).filter(\.$post.$id == post.requireID()).first() else {
                throw ServiceError.conflict("not_scheduled", "The answer was not scheduled.")
            }
            delivery.replyTo = target
            try await delivery.save(on: db)
            if markDone { item.state = .done }
            if item.readAt == nil { item.readAt = wiring.clock.now() }
            try await item.save(on: db)
            try await wiring.activity(on: db).record(.answered, in: item.$workspace.id, by: post.$author.id, post: post.requireID(),
                                                     "\(item.authorHandle) on \(item.channelHandle): \(ActivityLog.excerpt(of: post))")
            return delivery
        }
        wiring.inbox.changed(item.$workspace.id)
        return delivery
    }

    /// Refuses a text the channel would not take, with the network's reasons.
    private func check(_ text: String, on channel: Channel) throws {
        var problems = PostContent(text: text, thread: [], variants: [:]).problems(on: channel, media: [], answering: true)
        if channel.status == .needsReconnect {
            problems.insert("\(channel.handle): Trestle can no longer post here (\(channel.problem ?? "the network refused the credentials")). Connect it again under Channels.", at: 0)
        }
        guard problems.isEmpty else {
            throw ServiceError.invalid(["text": problems.joined(separator: " ")], message: "The answer does not fit \(channel.handle), so it was not sent.")
        }
    }

    /// The answers sent to the item from Trestle, oldest first, with their texts.
    func answers(to item: InboxItem) async throws -> [(post: Post, delivery: Delivery)] {
        let posts = try await Post.query(on: db).filter(\.$answersItemID == item.requireID()).with(\.$deliveries).sort(\.$createdAt).all()
        return posts.flatMap { post in post.deliveries.map { (post, $0) } }
    }

    /// The item's conversation as the network shows it now, oldest first.
    func conversation(of item: InboxItem) async throws -> [InboxMessage] {
        guard let channelID = item.$channel.id, let channel = try await Channel.find(channelID, on: db),
              let reader = wiring.inboxReaders.reader(for: channel.network) else { return [] }
        let account = try await wiring.channels(on: db).account(of: channel)
        return try await reader.conversation(of: item.remoteID, as: account)
    }

    // MARK: Saved replies

    /// The workspace's saved replies, by title.
    func savedReplies(in workspace: Workspace) async throws -> [SavedReply] {
        try await SavedReply.query(on: db).filter(\.$workspace.$id == workspace.requireID()).sort(\.$title).all()
    }

    func saveReply(title: String, text: String, in workspace: Workspace) async throws -> SavedReply {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines), text = text.withUnixLineBreaks.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [String: String] = [:]
        if title.isEmpty { problems["title"] = "Name it, so the team can find it." } else if title.count > 100 { problems["title"] = "Keep the name under 100 characters." }
        if text.isEmpty { problems["text"] = "Write the answer." } else if text.utf16.count > 10_000 { problems["text"] = "Keep a saved reply under 10,000 characters." }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The reply was not saved.") }
        guard try await SavedReply.query(on: db).filter(\.$workspace.$id == workspace.requireID()).count() < Self.mostSavedReplies else {
            throw ServiceError.invalid(["title": "A workspace keeps at most \(Self.mostSavedReplies) saved replies: delete one first."], message: "The reply was not saved.")
        }
        let reply = SavedReply(workspaceID: try workspace.requireID(), title: title, text: text)
        try await reply.create(on: db)
        return reply
    }

    func savedReply(_ id: UUID, in workspace: Workspace) async throws -> SavedReply {
        guard let reply = try await SavedReply.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This saved reply")
        }
        return reply
    }

    static let mostSavedReplies = 200
}

extension InboxService {
    func deleteSavedReply(_ reply: SavedReply) async throws {
        try await reply.delete(on: db)
    }
}
