import Foundation
import Vapor

/// One entry of the activity feed.
struct ActivityDTO: Content {
    var id: String
    var action: String
    /// Who did it: their email; nil for Trestle's own doing or someone who left.
    var actor: String?
    var actorId: String?
    var post: String?
    var summary: String
    var at: Date

    init(_ entry: ActivityLog.Entry) throws {
        id = try entry.activity.requireID().uuidString
        action = entry.activity.action.rawValue
        actor = entry.actor
        actorId = entry.activity.$actor.id?.uuidString
        post = entry.activity.postID?.uuidString
        summary = entry.activity.summary
        at = entry.activity.createdAt
    }

    /// Every key written, null included.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(action, forKey: .action)
        try container.encode(actor, forKey: .actor)
        try container.encode(actorId, forKey: .actorId)
        try container.encode(post, forKey: .post)
        try container.encode(summary, forKey: .summary)
        try container.encode(at, forKey: .at)
    }
}
