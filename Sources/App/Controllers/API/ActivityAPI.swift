import Foundation
import Vapor

/// The activity feed over the JSON API, per workspace and per post, newest first.
enum ActivityAPI {
    /// `?action=&member=&post=&before=&limit=`.
    @Sendable static func list(_ req: Request) async throws -> [ActivityDTO] {
        let workspace = try req.requireWorkspace().workspace
        return try await req.wiring.activity(on: req.db).entries(in: workspace, filter(req)).map(ActivityDTO.init)
    }

    @Sendable static func ofPost(_ req: Request) async throws -> [ActivityDTO] {
        let workspace = try req.requireWorkspace().workspace
        let post = try await req.wiring.posts(on: req.db).post(req.uuidParameter("post"), in: workspace)
        var filter = try filter(req)
        filter.postID = try post.requireID()
        return try await req.wiring.activity(on: req.db).entries(in: workspace, filter).map(ActivityDTO.init)
    }

    /// A value that is not one of the documented ones is a field error, not an empty list. The
    /// web page's form sends an empty value for "any" (`emptyIsAny`); the API names none.
    static func filter(_ req: Request, emptyIsAny: Bool = false) throws -> ActivityLog.Filter {
        var filter = ActivityLog.Filter()
        var problems: [String: String] = [:]
        func given(_ name: String) -> String? {
            guard let value = req.query[String.self, at: name] else { return nil }
            return value.isEmpty && emptyIsAny ? nil : value
        }
        if let action = given("action") {
            if let known = Activity.Action(rawValue: action) { filter.action = known } else {
                problems["action"] = "Use one of \(Activity.Action.allCases.map(\.rawValue).joined(separator: ", "))."
            }
        }
        if let member = given("member") {
            if let id = UUID(uuidString: member) { filter.actorID = id } else { problems["member"] = "Name a member by their id." }
        }
        if let post = given("post") {
            if let id = UUID(uuidString: post) { filter.postID = id } else { problems["post"] = "Name a post by its id." }
        }
        if let before = given("before") {
            if let instant = ReportPeriod.instant(before) { filter.before = instant } else {
                problems["before"] = "Give an instant such as 2026-12-01T09:00:00Z."
            }
        }
        if let limit = given("limit") {
            if let count = Int(limit), (1...ActivityLog.mostPerPage).contains(count) { filter.limit = count } else {
                problems["limit"] = "Give a number from 1 to \(ActivityLog.mostPerPage)."
            }
        }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The activity cannot be narrowed that way.") }
        return filter
    }
}
