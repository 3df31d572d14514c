import Fluent
import Foundation
import SQLKit

/// The activity feed: who did what and when in a workspace — drafted, edited, approved,
/// scheduled, published, failed, answered, connected — written in the same transaction as what
/// it tells of, read per workspace or per post, newest first, and kept for a year.
struct ActivityLog: Sendable {
    /// How long an entry is kept.
    static let keptFor: TimeInterval = 366 * 86_400
    /// The most entries one read returns; older ones are read with `before`.
    static let mostPerPage = 200
    static let longestSummary = 300

    let db: any Database
    let clock: any WallClock
    /// Where the emails of notifications are queued, when Trestle has a mail server.
    var mailJobs: JobQueue?

    /// An entry with its actor's email (nil: Trestle itself, or someone who left).
    struct Entry: Sendable {
        var activity: Activity
        var actor: String?
    }

    struct Filter: Sendable {
        var action: Activity.Action?
        var actorID: UUID?
        var postID: UUID?
        /// Only entries older than this: the next page.
        var before: Date?
        var limit = 50
    }

    /// Writes the entry; returns its id. `notify`: the members it concerns, each of whom gets a
    /// notification of it (never its actor).
    @discardableResult
    func record(_ action: Activity.Action, in workspaceID: UUID, by actor: UUID?, post: UUID? = nil, _ summary: String, notify: Set<UUID> = []) async throws -> UUID {
        let id = UUID()
        let now = clock.now()
        let sql = db as! any SQLDatabase
        try await sql.insert(into: Activity.schema)
            .columns("id", "workspace_id", "actor_id", "action", "post_id", "summary", "created_at")
            .values(SQLBind(id), SQLBind(workspaceID), SQLBind(actor), SQLBind(action.rawValue), SQLBind(post),
                    SQLBind(Self.clipped(summary)), SQLBind(now))
            .run()
        let people = notify.subtracting(actor.map { [$0] } ?? []).sorted(by: { $0.uuidString < $1.uuidString })
        guard !people.isEmpty else { return id }
        let byEmail = try await mailJobs == nil ? [] : NotificationSettings.query(on: db).filter(\.$id ~~ people).filter(\.$byEmail == true).all().compactMap(\.id)
        for person in people {
            let notification = UUID()
            try await sql.insert(into: MemberNotification.schema).columns("id", "user_id", "workspace_id", "activity_id", "created_at")
                .values(SQLBind(notification), SQLBind(person), SQLBind(workspaceID), SQLBind(id), SQLBind(now)).run()
            // Queued in the same transaction: the email goes if and only if the notification was made.
            if let mailJobs, byEmail.contains(person) {
                _ = try await mailJobs.enqueue(NotificationMailer.job, payload: #"{"notification":"\#(notification.uuidString)"}"#)
            }
        }
        return id
    }

    /// What a post says, as an entry names it: its first line, shortened.
    static func excerpt(of post: Post) -> String {
        let line = post.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }

    func entries(in workspace: Workspace, _ filter: Filter = .init()) async throws -> [Entry] {
        var query = try Activity.query(on: db).filter(\.$workspace.$id == workspace.requireID())
        if let action = filter.action { query = query.filter(\.$action == action) }
        if let actor = filter.actorID { query = query.filter(\.$actor.$id == actor) }
        if let post = filter.postID { query = query.filter(\.$postID == post) }
        if let before = filter.before { query = query.filter(\.$createdAt < before) }
        let activities = try await query.sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .limit(max(1, min(filter.limit, Self.mostPerPage))).all()
        let actorIDs = Array(Set(activities.compactMap { $0.$actor.id }))
        let actors = actorIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ actorIDs).all()
        let emails = Dictionary(uniqueKeysWithValues: actors.compactMap { user in user.id.map { ($0, user.email) } })
        return activities.map { Entry(activity: $0, actor: $0.$actor.id.flatMap { emails[$0] }) }
    }

    /// Forgets what is older than a year (housekeeping).
    static func forget(before instant: Date, on db: any Database) async throws {
        try await Activity.query(on: db).filter(\.$createdAt < instant).delete()
    }

    private static func clipped(_ summary: String) -> String {
        summary.count > longestSummary ? String(summary.prefix(longestSummary - 1)) + "…" : summary
    }
}

extension ActivityLog {
    /// How the feed is narrowed, as the OpenAPI document lists it.
    static let queryParameters: [APIOperation.QueryParameter] = [
        .init(name: "action", description: "Only this kind of entry", required: false, values: Activity.Action.allCases.map(\.rawValue)),
        .init(name: "member", description: "Only what this member did (their id)", required: false, isUUID: true),
        .init(name: "post", description: "Only what happened to this post", required: false, isUUID: true),
        .init(name: "before", description: "Only entries older than this instant (RFC 3339): the next page", required: false, pattern: ReportPeriod.instantPattern),
        .init(name: "limit", description: "How many entries (1–200; 50 by default)", required: false, pattern: "^[0-9]{1,3}$"),
    ]
}
