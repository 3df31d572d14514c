import Foundation
import Vapor

/// `{"text", "requestChanges"}`: a comment to add (changes are asked only of posts), or a
/// comment's new text.
struct CommentRequest: APIRequestBody {
    static let fields: Set<String> = ["text", "requestChanges"]
    var text: String
    var requestChanges: Bool?
}

struct CommentDTO: Content {
    var id: String
    var text: String
    /// The author's email; nil once they left.
    var author: String?
    var authorId: String?
    var post: String?
    var idea: String?
    var requestsChanges: Bool
    var createdAt: Date?
    var updatedAt: Date?

    init(_ entry: CommentService.Entry) throws {
        let comment = entry.comment
        id = try comment.requireID().uuidString
        text = comment.text
        author = entry.author
        authorId = comment.$author.id?.uuidString
        post = comment.postID?.uuidString
        idea = comment.ideaID?.uuidString
        requestsChanges = comment.requestsChanges
        createdAt = comment.createdAt
        updatedAt = comment.updatedAt
    }
}

struct NotificationDTO: Content {
    var id: String
    var workspace: String
    var workspaceName: String
    var action: String
    var actor: String?
    var post: String?
    var summary: String
    var at: Date
    var read: Bool

    init(_ entry: Notifications.Entry) {
        id = entry.id.uuidString
        workspace = entry.workspaceID.uuidString
        workspaceName = entry.workspaceName
        action = entry.action.rawValue
        actor = entry.actor
        post = entry.postID?.uuidString
        summary = entry.summary
        at = entry.at
        read = entry.readAt != nil
    }
}

struct NotificationsDTO: Content {
    var notifications: [NotificationDTO]
    var unread: Int
}

/// `{"ids": [...]}`: these notifications read; without `ids`, all of them.
struct NotificationsReadRequest: APIRequestBody {
    static let fields: Set<String> = ["ids"]
    var ids: [UUID]?
}

/// `{"email": true}`: each notification by email as well.
struct NotificationSettingsDTO: Content, APIRequestBody {
    static let fields: Set<String> = ["email"]
    var email: Bool
}
