import Fluent
import Foundation
import SQLKit

/// Peer approval: a workspace may ask for approvals from members other than a post's author
/// before the post is scheduled. An approval is of one version of the post — an edit of what it
/// says asks again — and nobody approves their own post. A post already scheduled and edited
/// keeps its times, and waits for approval of the new version before it goes out.
struct ApprovalService: Sendable {
    let db: any Database
    let wiring: Wiring

    /// Where a post stands with its workspace's rule.
    struct Standing: Sendable, Equatable {
        var required: Int
        /// The members who approved the current version, by email, oldest first.
        var approvedBy: [String]
        var version: Int

        var isApproved: Bool { approvedBy.count >= required }
        var missing: Int { max(0, required - approvedBy.count) }
    }

    func standing(of post: Post, in workspace: Workspace) async throws -> Standing {
        try await standing(of: post, required: workspace.approvalsRequired)
    }

    private func standing(of post: Post, required: Int) async throws -> Standing {
        guard required > 0 else { return Standing(required: 0, approvedBy: [], version: post.version) }
        // Distinct members other than the author; an author's approval never counts.
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT a.user_id, u.email FROM post_approvals a JOIN users u ON u.id = a.user_id
            WHERE a.post_id = \(bind: post.requireID()) AND a.version = \(bind: post.version)
            ORDER BY a.created_at
            """).all().filter { try $0.decode(column: "user_id", as: UUID.self) != post.$author.id }
        return Standing(required: required, approvedBy: try rows.map { try $0.decode(column: "email", as: String.self) }, version: post.version)
    }

    /// `member` approves the post's current version; `version`, when given, must be the one they
    /// read. When this completes the approvals, what waits to be published goes at its time.
    @discardableResult
    func approve(_ post: Post, by member: User, version: Int?, in workspace: Workspace) async throws -> Standing {
        let memberID = try member.requireID()
        guard post.$author.id != memberID else {
            throw ServiceError.forbidden("Nobody approves their own post: another member of the workspace can.")
        }
        if let version, version != post.version {
            throw ServiceError.conflict("version_changed", "The post was edited since you read it: read it again, then approve what it says now.")
        }
        // One entry in the activity feed per approval, however often the member presses.
        try await db.transaction { db in
            let made = try await (db as! any SQLDatabase).insert(into: PostApproval.schema).columns("id", "post_id", "user_id", "version", "created_at")
                .values(SQLBind(UUID()), SQLBind(post.requireID()), SQLBind(memberID), SQLBind(post.version), SQLBind(wiring.clock.now()))
                .ignoringConflicts(with: ["post_id", "user_id", "version"]).returning("id").all()
            if !made.isEmpty {
                try await wiring.activity(on: db).record(.approved, in: post.$workspace.id, by: memberID, post: post.requireID(),
                                                         "\(ActivityLog.excerpt(of: post)) (version \(post.version))")
            }
        }
        // The version may have moved on while this was written: read it again.
        guard let current = try await Post.find(post.requireID(), on: db) else { throw ServiceError.notFound("This post") }
        let standing = try await standing(of: current, required: workspace.approvalsRequired)
        if standing.isApproved { try await release(current) }
        return standing
    }

    /// Whether the post may go out now: approved, or in a workspace that asks for nothing.
    func mayPublish(_ post: Post) async throws -> Bool {
        guard let workspace = try await Workspace.find(post.$workspace.id, on: db) else { return false }
        return try await standing(of: post, required: workspace.approvalsRequired).isApproved
    }

    /// Refuses a schedule for a post that still needs approvals (API.md: 422 `approval_required`).
    func requireApproval(of post: Post, in workspace: Workspace) async throws {
        guard workspace.approvalsRequired > 0, post.answersItemID == nil else { return }
        let standing = post.id == nil
            ? Standing(required: workspace.approvalsRequired, approvedBy: [], version: post.version)
            : try await standing(of: post, required: workspace.approvalsRequired)
        guard !standing.isApproved else { return }
        throw ServiceError(
            kind: .invalid, code: "approval_required",
            message: "This workspace asks for \(standing.required) approval\(standing.required == 1 ? "" : "s") before a post is scheduled.",
            fields: ["schedule": "It needs \(standing.missing) more approval\(standing.missing == 1 ? "" : "s") from members other than its author. Save it as a draft and ask them."]
        )
    }

    /// Wakes the post's pending deliveries: each goes at its own time, or now if that passed
    /// while it waited.
    private func release(_ post: Post) async throws {
        let now = wiring.clock.now()
        for delivery in try await Delivery.query(on: db).filter(\.$post.$id == post.requireID()).all() where delivery.state.isPending {
            try await wiring.jobs(on: db).enqueue(DeliveryService.publishJob, payload: #"{"delivery":"\#(try delivery.requireID().uuidString)"}"#,
                                                 runAt: max(now, delivery.scheduledAt))
        }
    }
}
