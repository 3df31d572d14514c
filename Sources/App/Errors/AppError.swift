import Vapor

/// An error a person can act on: one HTTP status, a stable snake_case code, a sentence, and
/// per-field messages for forms and API clients.
struct AppError: AbortError {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var fields: [String: String] = [:]
    var headers: HTTPHeaders = [:]

    var reason: String { message }

    static func notFound(_ what: String = "This page") -> AppError {
        AppError(status: .notFound, code: "not_found", message: "\(what) does not exist, or you are not a member of its workspace.")
    }

    static func invalid(_ fields: [String: String], message: String = "Some fields need attention.") -> AppError {
        AppError(status: .unprocessableEntity, code: "invalid_fields", message: message, fields: fields)
    }

    static func badRequest(_ code: String, _ message: String, fields: [String: String] = [:]) -> AppError {
        AppError(status: .badRequest, code: code, message: message, fields: fields)
    }

    static func forbidden(_ message: String) -> AppError {
        AppError(status: .forbidden, code: "forbidden", message: message)
    }

    static let unauthorized = AppError(
        status: .unauthorized, code: "unauthorized",
        message: "Send a valid API token as `Authorization: Bearer <token>`; create one under Account → API tokens.",
        headers: ["WWW-Authenticate": "Bearer"]
    )

    static func tooManyRequests(_ message: String, retryAfter seconds: Int) -> AppError {
        AppError(status: .tooManyRequests, code: "too_many_attempts", message: message, headers: ["Retry-After": String(seconds)])
    }
}

/// The JSON shape of every API error: `{"error": {"code", "message", "fields"}}`.
struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var fields: [String: String]
    }
    var error: Detail
}
