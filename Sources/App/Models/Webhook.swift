import Fluent
import Foundation

/// An address outside Trestle that is told, by a signed POST, when something happens in a
/// workspace. Its secret is sealed at rest and shown to a person only when it is made.
final class Webhook: Model, @unchecked Sendable {
    static let schema = "webhooks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Field(key: "url") var url: String
    /// The event types it wants, comma-separated (`delivery.published,delivery.failed`).
    @Field(key: "events") var eventList: String
    /// The signing secret, sealed for this row (AES-GCM); it is needed in full to sign.
    @Field(key: "sealed_secret") var sealedSecret: Data
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID, workspaceID: UUID, url: String, events: [WebhookEvent], sealedSecret: Data) {
        self.id = id
        self.$workspace.id = workspaceID
        self.url = url
        self.eventList = events.map(\.rawValue).joined(separator: ",")
        self.sealedSecret = sealedSecret
    }

    var events: [WebhookEvent] {
        eventList.split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) }
    }
}

/// What a webhook can be told about.
enum WebhookEvent: String, Codable, Sendable, CaseIterable {
    /// A delivery reached its network.
    case deliveryPublished = "delivery.published"
    /// A delivery will not be tried again without a person; `data.delivery.error` says why.
    case deliveryFailed = "delivery.failed"
}

/// One call to a webhook's address and how it went, kept for the recent-attempts log.
final class WebhookAttempt: Model, @unchecked Sendable {
    static let schema = "webhook_attempts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "webhook_id") var webhook: Webhook
    /// The event's own id, the same on every attempt to send it.
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "event_type") var eventType: String
    /// 1 for the first try.
    @Field(key: "attempt") var attempt: Int
    /// The HTTP status the receiver answered; nil when no answer came.
    @OptionalField(key: "status_code") var statusCode: Int?
    /// Why it did not arrive, in words; nil for a 2xx.
    @OptionalField(key: "error") var error: String?
    @Field(key: "attempted_at") var attemptedAt: Date

    init() {}

    init(webhookID: UUID, eventID: UUID, eventType: String, attempt: Int, statusCode: Int?, error: String?, at: Date) {
        self.id = UUID()
        self.$webhook.id = webhookID
        self.eventID = eventID
        self.eventType = eventType
        self.attempt = attempt
        self.statusCode = statusCode
        self.error = error
        self.attemptedAt = at
    }

    var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}
