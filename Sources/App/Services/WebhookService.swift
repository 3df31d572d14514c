import Fluent
import Foundation
import Networks
import SQLKit
import Vapor

/// Outgoing webhooks: a workspace names addresses and the events they want; each event becomes
/// one job per subscribed webhook, which POSTs it signed (`WebhookSignature`) through the
/// guarded outbound client and is retried with the job runner's backoff until the receiver
/// answers 2xx or it is given up. Every call is logged for the workspace to see.
struct WebhookService: Sendable {
    /// The job that sends one event to one webhook.
    static let job = "webhook"
    static let mostPerWorkspace = 10
    /// Tries, counting the first, before an event is given up on (about 10 minutes in all).
    static let mostAttempts = 8
    /// Attempts kept per webhook; older ones are dropped as new ones come.
    static let attemptsKept = 50
    static let maximumURLLength = 2000
    /// http(s), a host name or IPv4 address, an optional port, a path and query of URL-safe
    /// characters. The OpenAPI document states the same pattern, so the two cannot disagree.
    static let urlPattern = #"^https?://[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?(/[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?$"#

    let db: any Database
    let wiring: Wiring

    // MARK: A workspace's webhooks

    /// A new webhook and its signing secret, which is shown this once and never again.
    func create(url: String, events: [String], in workspace: Workspace) async throws -> (webhook: Webhook, secret: String) {
        var problems: [String: String] = [:]
        if url.count > Self.maximumURLLength || (try? Regex(Self.urlPattern).wholeMatch(in: url)) == nil {
            problems["url"] = "Give an http:// or https:// address, such as https://example.com/hooks/trestle."
        }
        var chosen: [WebhookEvent] = []
        for name in events {
            guard let event = WebhookEvent(rawValue: name) else {
                problems["events"] = "\(name) is not an event Trestle sends; choose from \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))."
                break
            }
            if !chosen.contains(event) { chosen.append(event) }
        }
        if chosen.isEmpty, problems["events"] == nil { problems["events"] = "Choose at least one event." }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The webhook was not added.") }

        let workspaceID = try workspace.requireID()
        guard try await Webhook.query(on: db).filter(\.$workspace.$id == workspaceID).count() < Self.mostPerWorkspace else {
            throw ServiceError.invalid(["url": "A workspace can have \(Self.mostPerWorkspace) webhooks; delete one to add another."],
                                   message: "The webhook was not added.")
        }
        let id = UUID()
        let secret = SecretToken.generate(prefix: "whsec_").value
        let webhook = Webhook(id: id, workspaceID: workspaceID, url: url, events: chosen, sealedSecret: try wiring.sealer.seal(secret, for: id))
        try await webhook.create(on: db)
        return (webhook, secret)
    }

    func webhooks(in workspace: Workspace) async throws -> [Webhook] {
        try await Webhook.query(on: db).filter(\.$workspace.$id == workspace.requireID()).sort(\.$createdAt).sort(\.$id).all()
    }

    /// The workspace's webhook, or 404 (another workspace's too, by invariant 5).
    func webhook(_ id: UUID, in workspace: Workspace) async throws -> Webhook {
        guard let webhook = try await Webhook.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This webhook")
        }
        return webhook
    }

    /// Removes it with its log; events waiting for it are dropped when their jobs find it gone.
    func delete(_ webhook: Webhook) async throws {
        try await webhook.delete(on: db)
    }

    /// Its latest attempts, newest first.
    func recentAttempts(of webhook: Webhook, limit: Int = 20) async throws -> [WebhookAttempt] {
        try await WebhookAttempt.query(on: db).filter(\.$webhook.$id == webhook.requireID())
            .sort(\.$attemptedAt, .descending).sort(\.$attempt, .descending).limit(limit).all()
    }

    // MARK: Events

    private struct Payload: Codable {
        var webhook: UUID
        var event: UUID
        var type: String
        /// The exact bytes sent (and signed), the same on every attempt.
        var body: String
    }

    /// `{"id", "type", "createdAt", "data"}`, as API.md shapes every call.
    private struct EventBody<EventData: Encodable>: Encodable {
        var id: String
        var type: String
        var createdAt: Date
        var data: EventData
    }

    private struct DeliveryData: Encodable {
        var workspace: String
        var post: String
        var delivery: DeliveryDTO
    }

    /// Queues `event` about `delivery` for each of its workspace's webhooks that wants it;
    /// nothing at all when none does.
    func emit(_ event: WebhookEvent, for delivery: Delivery) async throws {
        guard let post = try await Post.find(delivery.$post.id, on: db) else { return }
        let subscribed = try await Webhook.query(on: db).filter(\.$workspace.$id == post.$workspace.id).all().filter { $0.events.contains(event) }
        guard !subscribed.isEmpty else { return }
        let id = UUID()
        let body = EventBody(
            id: id.uuidString.lowercased(), type: event.rawValue, createdAt: wiring.clock.now(),
            data: DeliveryData(workspace: post.$workspace.id.uuidString, post: try post.requireID().uuidString, delivery: try DeliveryDTO(delivery))
        )
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(body), as: UTF8.self)
        let jobs = wiring.jobs(on: db)
        for webhook in subscribed {
            let payload = Payload(webhook: try webhook.requireID(), event: id, type: event.rawValue, body: text)
            try await jobs.enqueue(Self.job, payload: String(decoding: try JSONEncoder().encode(payload), as: UTF8.self))
        }
    }

    /// The worker's job: one signed POST of one event to one webhook, logged. 2xx is done;
    /// anything else is tried again later, and given up after `mostAttempts`.
    func send(job: JobQueue.Claimed) async throws -> JobOutcome {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            return .failed("A webhook job without its event.")
        }
        // Deleted since the event: nobody is waiting for it any more.
        guard let webhook = try await Webhook.find(payload.webhook, on: db) else { return .done }
        let webhookID = try webhook.requireID()
        let secret = try wiring.sealer.open(String.self, webhook.sealedSecret, for: webhookID)
        let body = Data(payload.body.utf8)
        let now = wiring.clock.now()

        var statusCode: Int?
        var problem: String?
        if let url = URL(string: webhook.url) {
            let headers: HTTPHeaders = [
                "Content-Type": "application/json",
                "User-Agent": "Trestle-Webhooks",
                WebhookSignature.header: WebhookSignature.value(secret: secret, timestamp: now, body: body),
            ]
            do {
                let response = try await wiring.http.send(.POST, url, headers: headers, body: body)
                statusCode = response.status
                if !(200..<300).contains(response.status) { problem = "The receiver answered HTTP \(response.status)." }
            } catch let error as NetworkError {
                problem = error.description
            }
        } else {
            problem = "\(webhook.url) is not an address Trestle can call."
        }

        try await WebhookAttempt(webhookID: webhookID, eventID: payload.event, eventType: payload.type, attempt: job.attempt,
                                 statusCode: statusCode, error: problem, at: now).create(on: db)
        try await (db as! any SQLDatabase).raw("""
            DELETE FROM webhook_attempts WHERE webhook_id = \(bind: webhookID) AND id NOT IN (
                SELECT id FROM webhook_attempts WHERE webhook_id = \(bind: webhookID) ORDER BY attempted_at DESC LIMIT \(bind: Self.attemptsKept))
            """).run()

        guard let problem else { return .done }
        guard job.attempt < Self.mostAttempts else { return .failed("Gave up after \(job.attempt) tries. \(problem)") }
        return .retry(at: now.addingTimeInterval(JobRunner.backoff(attempt: job.attempt)), reason: problem)
    }
}
