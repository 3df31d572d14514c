import Networks

/// Why a service refused to do something, in words a person can act on — with no HTTP in it.
/// The edge (`Errors/ServiceError+HTTP.swift`) gives each kind its status, once; a service
/// only says what went wrong.
struct ServiceError: Error, Sendable {
    enum Kind: Sendable, Equatable {
        /// The input breaks a rule; `fields` say which.
        case invalid
        /// There is no such thing here (or it belongs to another workspace).
        case notFound
        /// A member may not do this (only the owner may).
        case forbidden
        /// The thing is not in a state that allows this now.
        case conflict
        /// Too many tries; wait this many seconds.
        case tooManyAttempts(retryAfter: Int)
        /// The input could not be read at all.
        case malformed
        /// A kind of input Trestle does not take.
        case unsupported
        /// It was there and can no longer be used.
        case gone
        /// The person could not be recognised (a wrong password).
        case wrongCredentials
        /// The network could not be reached, or refused in a way that is not the person's doing.
        case networkUnreachable
        /// The network asks to wait; this many seconds when it said.
        case networkBusy(retryAfter: Int?)
        /// Trestle itself is not set up for this (a setting is missing).
        case notSetUp
    }

    var kind: Kind
    /// Stable and snake_case, for API clients.
    var code: String
    var message: String
    var fields: [String: String] = [:]

    static func invalid(_ fields: [String: String], message: String = "Some fields need attention.") -> ServiceError {
        ServiceError(kind: .invalid, code: "invalid_fields", message: message, fields: fields)
    }

    static func notFound(_ what: String = "This page") -> ServiceError {
        ServiceError(kind: .notFound, code: "not_found", message: "\(what) does not exist, or you are not a member of its workspace.")
    }

    static func forbidden(_ message: String) -> ServiceError {
        ServiceError(kind: .forbidden, code: "forbidden", message: message)
    }

    static func conflict(_ code: String, _ message: String) -> ServiceError {
        ServiceError(kind: .conflict, code: code, message: message)
    }

    static func tooManyAttempts(_ message: String, retryAfter seconds: Int) -> ServiceError {
        ServiceError(kind: .tooManyAttempts(retryAfter: seconds), code: "too_many_attempts", message: message)
    }

    static func malformed(_ code: String, _ message: String, fields: [String: String] = [:]) -> ServiceError {
        ServiceError(kind: .malformed, code: code, message: message, fields: fields)
    }

    /// A network's failure as the person connecting sees it: what they typed is at fault (an
    /// error on `field`), or the network is down or busy and nothing changed.
    static func network(_ error: NetworkError, field: String, networkName: String) -> ServiceError {
        let sentence = error.description
        switch error {
        case .invalidURL, .refusedAddress, .unauthorized, .unexpectedResponse:
            return .invalid([field: sentence], message: "\(networkName) did not accept this; nothing was saved.")
        case let .rateLimited(retryAfter):
            return ServiceError(kind: .networkBusy(retryAfter: retryAfter), code: "network_rate_limited", message: "\(networkName): \(sentence)")
        case .unreachable, .timedOut:
            return ServiceError(kind: .networkUnreachable, code: "network_unreachable", message: sentence)
        case .rejected:
            return ServiceError(kind: .networkUnreachable, code: "network_refused", message: "\(networkName): \(sentence)")
        case .configuration:
            return ServiceError(kind: .notSetUp, code: "internal_error", message: sentence)
        }
    }
}
