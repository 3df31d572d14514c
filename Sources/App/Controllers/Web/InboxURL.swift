import Foundation

/// The inbox's addresses in the web UI, so a page, a redirect and a template never spell one
/// by hand (routes.swift lists the same paths).
enum InboxURL {
    static func list(_ workspace: UUID) -> String { "/workspaces/\(workspace.uuidString)/inbox" }
    /// The list alone, without the page around it, for the page's script to swap in.
    static func listFragment(_ workspace: UUID) -> String { list(workspace) + "/list" }
    /// Server-sent events: one each time the workspace's inbox changes.
    static func events(_ workspace: UUID) -> String { list(workspace) + "/events" }
    static func item(_ workspace: UUID, _ item: UUID) -> String { list(workspace) + "/\(item.uuidString)" }
    static func state(_ workspace: UUID, _ item: UUID) -> String { self.item(workspace, item) + "/state" }
    static func assignee(_ workspace: UUID, _ item: UUID) -> String { self.item(workspace, item) + "/assignee" }
    static func answer(_ workspace: UUID, _ item: UUID) -> String { self.item(workspace, item) + "/answer" }
    static func savedReplies(_ workspace: UUID) -> String { list(workspace) + "/replies" }
    static func deleteSavedReply(_ workspace: UUID, _ reply: UUID) -> String { savedReplies(workspace) + "/\(reply.uuidString)/delete" }
    static func deleteHistory(_ workspace: UUID) -> String { list(workspace) + "/history/delete" }
    /// The post of ours an item answers.
    static func post(_ workspace: UUID, _ post: UUID) -> String { "/workspaces/\(workspace.uuidString)/posts/\(post.uuidString)" }
    /// The composer's live counter, which the reply box asks too.
    static func composeCheck(_ workspace: UUID) -> String { "/workspaces/\(workspace.uuidString)/compose/check" }
}
