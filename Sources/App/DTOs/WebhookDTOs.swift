import Foundation
import Vapor

/// `{"url", "events": ["delivery.published", "delivery.failed"]}`.
struct WebhookRequest: APIRequestBody {
    static let fields: Set<String> = ["url", "events"]

    var url: String
    var events: [String]
}

/// A webhook as the API shows it; `secret` only in the answer that creates it.
struct WebhookDTO: Content {
    struct Attempt: Content {
        var event: String
        var type: String
        var attempt: Int
        var statusCode: Int?
        var error: String?
        var succeeded: Bool
        var attemptedAt: Date
    }

    var id: String
    var url: String
    var events: [String]
    var createdAt: Date?
    var secret: String?
    /// The latest calls, newest first; in the answer for one webhook.
    var attempts: [Attempt]?

    init(_ webhook: Webhook, secret: String? = nil, attempts: [WebhookAttempt]? = nil) throws {
        id = try webhook.requireID().uuidString
        url = webhook.url
        events = webhook.events.map(\.rawValue)
        createdAt = webhook.createdAt
        self.secret = secret
        self.attempts = attempts?.map {
            Attempt(event: $0.eventID.uuidString.lowercased(), type: $0.eventType, attempt: $0.attempt, statusCode: $0.statusCode,
                    error: $0.error, succeeded: $0.succeeded, attemptedAt: $0.attemptedAt)
        }
    }
}
