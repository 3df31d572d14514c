import Vapor

/// Settings → Webhooks: add one (its secret shown once), see each one's recent attempts, delete.
enum WebhookPages {
    struct EventChoice: Encodable {
        var name: String
        var checked: Bool
    }

    struct AttemptLine: Encodable {
        var type: String
        var attempt: Int
        var outcome: String
        var succeeded: Bool
        var attemptedAt: Date
    }

    struct WebhookLine: Encodable {
        var id: String
        var url: String
        var events: String
        var attempts: [AttemptLine]
    }

    struct ListContext: Encodable {
        var page: PageContext
        var webhooks: [WebhookLine]
        var url: String
        var events: [EventChoice]
        var errors: FieldErrors
        /// The secret of the webhook just added; shown on this one page only.
        var newSecret: String?
    }

    struct WebhookForm: Content {
        var url: String?
        var events: [String]?
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(WebhookForm.self)
        do {
            let (_, secret) = try await req.wiring.webhooks(on: req.db).create(url: form.url ?? "", events: form.events ?? [], in: req.requireWorkspace().workspace)
            return try await render(req, newSecret: secret, status: .created)
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, form: form, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.webhooks(on: req.db)
        try await service.delete(service.webhook(req.uuidParameter("webhook"), in: access.workspace))
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/webhooks")
    }

    private static func render(
        _ req: Request, form: WebhookForm? = nil, errors: FieldErrors = [:], newSecret: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.wiring.webhooks(on: req.db)
        var lines: [WebhookLine] = []
        for webhook in try await service.webhooks(in: access.workspace) {
            let attempts = try await service.recentAttempts(of: webhook, limit: 10).map {
                AttemptLine(type: $0.eventType, attempt: $0.attempt, outcome: outcome(of: $0), succeeded: $0.succeeded, attemptedAt: $0.attemptedAt)
            }
            lines.append(WebhookLine(id: try webhook.requireID().uuidString, url: webhook.url,
                                     events: webhook.events.map(\.rawValue).joined(separator: ", "), attempts: attempts))
        }
        // A new form has every event ticked; a refused one keeps what the person chose.
        let chosen = Set(form?.events ?? WebhookEvent.allCases.map(\.rawValue))
        let context = ListContext(
            page: try await .load(req, title: "Webhooks", in: access), webhooks: lines, url: form?.url ?? "",
            events: WebhookEvent.allCases.map { EventChoice(name: $0.rawValue, checked: chosen.contains($0.rawValue)) },
            errors: errors, newSecret: newSecret
        )
        return try await req.page("webhooks", context, status: status)
    }

    /// `HTTP 204`, or why it did not arrive.
    private static func outcome(of attempt: WebhookAttempt) -> String {
        switch (attempt.statusCode, attempt.error) {
        case let (code?, _): "HTTP \(code)"
        case let (nil, error?): error
        case (nil, nil): "no answer"
        }
    }
}
