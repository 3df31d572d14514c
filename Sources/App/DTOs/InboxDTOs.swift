import Foundation
import Networks
import Vapor

/// `{"state": "open" | "done", "assignee": member id | null}`; a field left out stays as it is.
struct InboxItemChangeRequest: APIRequestBody {
    static let fields: Set<String> = ["state", "assignee"]
    var state: InboxItem.State?
    /// Left out: unchanged; `null`: nobody.
    var assignee: UUID??

    private enum CodingKeys: String, CodingKey {
        case state, assignee
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = try container.decodeIfPresent(InboxItem.State.self, forKey: .state)
        assignee = try container.decodeChange(UUID.self, forKey: .assignee)
    }
}

/// `{"text", "markDone"}`: an answer to an inbox item.
struct InboxReplyRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "markDone"]
    var text: String
    var markDone: Bool?
}

/// `{"title", "text"}`.
struct SavedReplyRequest: APIRequestBody {
    static let fields: Set<String> = ["title", "text"]
    var title: String
    var text: String
}

/// An inbox item as API.md shapes it, with what else a client needs to show it.
struct InboxItemDTO: Content {
    struct Author: Content {
        var name: String
        var handle: String
        var url: String?
        var avatarURL: String?
    }

    struct Answered: Content {
        var post: String?
        var delivery: String?
    }

    /// A post of the conversation as the network shows it now.
    struct Message: Content {
        var kind: String
        var author: Author
        var text: String
        var html: String
        var createdAt: Date
        var remoteURL: String?
    }

    /// An answer sent from Trestle, with its delivery's state.
    struct Answer: Content {
        var text: String
        var delivery: DeliveryDTO
    }

    var id: String
    /// Nil once the channel was disconnected; `channelHandle` still says where it came.
    var channel: String?
    var channelHandle: String
    var network: String
    var kind: String
    /// A direct message: for the workspace's members only.
    var `private`: Bool
    var author: Author
    var text: String
    /// The text with its links, mentions and tags, as safe HTML (`p`, `br` and `a` only).
    var html: String
    var createdAt: Date
    var receivedAt: Date
    var remoteURL: String?
    var inReplyTo: Answered?
    var state: String
    var assignee: String?
    var read: Bool
    /// Its channel was disconnected: kept to read, not to work.
    var readOnly: Bool
    /// In the answer for one item: the conversation (nil when the network could not be asked,
    /// `conversationProblem` says why) and the answers sent from Trestle.
    var conversation: [Message]?
    var conversationProblem: String?
    var answers: [Answer]?

    init(_ item: InboxItem) throws {
        id = try item.requireID().uuidString
        channel = item.$channel.id?.uuidString
        channelHandle = item.channelHandle
        network = item.network.rawValue
        kind = item.kind.rawValue
        `private` = item.isPrivate
        author = Author(name: item.authorName, handle: item.authorHandle, url: item.authorURL, avatarURL: item.authorAvatarURL)
        text = item.text
        html = item.html
        createdAt = item.saidAt
        receivedAt = item.receivedAt
        remoteURL = item.remoteURL
        inReplyTo = item.deliveryID == nil && item.postID == nil ? nil : Answered(post: item.postID?.uuidString, delivery: item.deliveryID?.uuidString)
        state = item.state.rawValue
        assignee = item.$assignee.id?.uuidString
        read = item.readAt != nil
        readOnly = item.isReadOnly
    }

    static func message(_ message: InboxMessage) -> Message {
        Message(
            kind: message.kind.rawValue,
            author: Author(name: message.author.name, handle: message.author.handle, url: message.author.profileURL, avatarURL: message.author.avatarURL),
            text: message.text, html: message.html, createdAt: message.createdAt, remoteURL: message.url
        )
    }
}

/// `{"items": [...]}`.
struct InboxDTO: Content {
    var items: [InboxItemDTO]
    /// Open items no member has opened yet.
    var unread: Int
}

struct SavedReplyDTO: Content {
    var id: String
    var title: String
    var text: String

    init(_ reply: SavedReply) throws {
        id = try reply.requireID().uuidString
        title = reply.title
        text = reply.text
    }
}
