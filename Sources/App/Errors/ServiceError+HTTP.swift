import Vapor

/// The one place a service's refusal becomes an HTTP status (and headers).
extension ServiceError {
    var status: HTTPResponseStatus {
        switch kind {
        case .invalid: .unprocessableEntity
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .tooManyAttempts: .tooManyRequests
        case .malformed: .badRequest
        case .unsupported: .unsupportedMediaType
        case .gone: .gone
        case .wrongCredentials: .unauthorized
        case .networkUnreachable: .badGateway
        case .networkBusy: .serviceUnavailable
        case .notSetUp: .internalServerError
        }
    }

    var headers: HTTPHeaders {
        switch kind {
        case let .tooManyAttempts(seconds): ["Retry-After": String(seconds)]
        case let .networkBusy(seconds?): ["Retry-After": String(seconds)]
        default: [:]
        }
    }
}

extension AppError {
    init(_ error: ServiceError) {
        self.init(status: error.status, code: error.code, message: error.message, fields: error.fields, headers: error.headers)
    }
}
