import Fluent
import Foundation
import SQLKit

/// Emails a notification to its person, as a job of its own queued with the notification, so a
/// mail server that is down delays the email and never the comment. A refusal for good (a 5xx)
/// ends the job with the server's reason; a notification read or gone by then is not sent.
struct NotificationMailer: Sendable {
    static let job = "notification.email"

    let db: any Database
    let wiring: Wiring

    private struct Payload: Codable {
        var notification: UUID
    }

    func send(job: JobQueue.Claimed) async throws -> JobOutcome {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            return .failed("The notification to email could not be read.")
        }
        guard let settings = wiring.smtp else { return .failed("No mail server is set up (TRESTLE_SMTP_URL).") }
        guard let message = try await message(for: payload.notification) else { return .done }
        do {
            try await SMTPClient(settings: settings).send(message)
            return .done
        } catch let SMTPError.refused(code, reply) {
            return .failed("The mail server refused the email (\(code) \(reply)).")
        } catch let error as SMTPError {
            return .retry(at: wiring.clock.now().addingTimeInterval(JobRunner.backoff(attempt: job.attempt)), reason: error.description)
        }
    }

    /// The email of an unread notification of a workspace its person still belongs to.
    func message(for notification: UUID) async throws -> MailMessage? {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT u.email AS recipient, w.name AS workspace_name, w.id AS workspace_id, actor.email AS actor, a.action, a.post_id, a.summary
            FROM member_notifications n
            JOIN users u ON u.id = n.user_id
            JOIN workspaces w ON w.id = n.workspace_id
            JOIN memberships m ON m.workspace_id = n.workspace_id AND m.user_id = n.user_id
            JOIN activities a ON a.id = n.activity_id
            LEFT JOIN users actor ON actor.id = a.actor_id
            WHERE n.id = \(bind: notification) AND n.read_at IS NULL
            """).first() else { return nil }
        let workspace = try row.decode(column: "workspace_name", as: String.self)
        let actor = try row.decode(column: "actor", as: String?.self) ?? "Someone"
        let action = Activity.Action(rawValue: try row.decode(column: "action", as: String.self))
        let what = action == .requestedChanges ? "asks for changes to your post" : "mentioned you"
        var body = "\(actor) \(what) in \(workspace):\n\n\(try row.decode(column: "summary", as: String.self))\n"
        if let base = wiring.publicURL?.absoluteString.trimmingSuffix("/") {
            let workspaceID = try row.decode(column: "workspace_id", as: UUID.self).uuidString
            let path = try row.decode(column: "post_id", as: UUID?.self).map { "/workspaces/\(workspaceID)/posts/\($0.uuidString)#comments" } ?? "/notifications"
            body += "\n\(base)\(path)\n"
        }
        body += "\nYou get these emails because you asked for them under Notifications in Trestle.\n"
        return MailMessage(to: try row.decode(column: "recipient", as: String.self), subject: "\(actor) \(what) in \(workspace)", body: body)
    }
}
