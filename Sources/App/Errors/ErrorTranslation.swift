import Fluent
import Vapor

extension AppError {
    /// Turns whatever a handler threw into the error shown to the person, so that every 4xx
    /// has a clear message and nothing unexpected leaks out as a 500 with internals.
    static func translating(_ error: any Error) -> (error: AppError, isUnexpected: Bool) {
        switch error {
        case let error as AppError:
            return (error, false)
        case let error as ServiceError:
            return (AppError(error), false)
        case let error as DecodingError:
            return (.badRequest("invalid_body", "The request body could not be read: \(error.personDescription)", fields: error.field.map { [$0: error.fieldMessage] } ?? [:]), false)
        case let error as any AbortError:
            return (fromStatus(error.status, reason: error.reason, headers: error.headers), false)
        case FluentError.noResults:
            return (.notFound(), false)
        case let error as any DatabaseError where error.isConstraintFailure:
            return (AppError(status: .conflict, code: "conflict", message: "This conflicts with something that already exists."), false)
        default:
            return (AppError(status: .internalServerError, code: "internal_error", message: "Something went wrong on our side. It has been logged; please try again."), true)
        }
    }

    private static func fromStatus(_ status: HTTPResponseStatus, reason: String, headers: HTTPHeaders) -> AppError {
        switch status {
        case .notFound:
            return .notFound()
        case .payloadTooLarge:
            return AppError(status: status, code: "payload_too_large", message: "The request body is too large.")
        case .unsupportedMediaType:
            return AppError(status: status, code: "unsupported_media_type", message: "Send the body as application/json.")
        case .methodNotAllowed:
            return AppError(status: status, code: "method_not_allowed", message: "This method is not allowed here.")
        case .badRequest:
            return .badRequest("bad_request", reason)
        default:
            let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return AppError(status: status, code: code, message: reason, headers: headers)
        }
    }
}

extension DecodingError {
    /// The JSON key the problem is at, if any.
    var field: String? {
        let path: [any CodingKey]
        switch self {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            path = context.codingPath
        case let .keyNotFound(key, context):
            path = context.codingPath + [key]
        @unknown default:
            path = []
        }
        let names = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return names.isEmpty ? nil : names.joined(separator: ".")
    }

    /// What is wrong with the field itself, for `error.fields`.
    var fieldMessage: String {
        switch self {
        case .keyNotFound, .valueNotFound: return "Is required."
        case .typeMismatch: return "Has the wrong type."
        default: return "Is not valid."
        }
    }

    var personDescription: String {
        switch self {
        case let .keyNotFound(key, _): return "the field `\(key.stringValue)` is required."
        case .typeMismatch, .valueNotFound: return "the field `\(field ?? "?")` has the wrong type."
        case .dataCorrupted: return "it is not valid JSON."
        @unknown default: return "it is not valid."
        }
    }
}
