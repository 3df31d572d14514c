import Foundation

/// Why a call to a network failed, in words a person can act on. Each case says whether trying
/// again later can help, so callers never retry what cannot succeed.
public enum NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting such as `TRESTLE_FETCH_ALLOW` cannot be used.
    case configuration(String)
    /// The address a person typed is not one Trestle can call.
    case invalidURL(String)
    /// The host resolves to a loopback, private or link-local address.
    case refusedAddress(host: String)
    /// DNS, connection or TLS failed; the server may be down or the name wrong.
    case unreachable(host: String, reason: String)
    case timedOut(host: String)
    /// The network said the credentials are wrong, expired or revoked.
    case unauthorized(String)
    /// The network asks to wait; `retryAfter` in seconds when it said so.
    case rateLimited(retryAfter: Int?)
    /// The network refused the request and said why.
    case rejected(status: Int, message: String)
    /// The network answered something that does not follow its documented API.
    case unexpectedResponse(String)

    public var description: String {
        switch self {
        case let .configuration(message), let .invalidURL(message), let .unauthorized(message), let .unexpectedResponse(message):
            message
        case let .refusedAddress(host):
            "\(host) points to a private or local address, which Trestle does not call. An operator can allow it with TRESTLE_FETCH_ALLOW."
        case let .unreachable(host, reason):
            "\(host) could not be reached (\(reason)). Check the address, or try again later."
        case let .timedOut(host):
            "\(host) did not answer in time. Try again later."
        case let .rateLimited(retryAfter):
            retryAfter.map { "The network asks to wait \($0) seconds before trying again." } ?? "The network asks to wait before trying again."
        case let .rejected(status, message):
            "The network refused the request (HTTP \(status)): \(message)"
        }
    }

    /// Whether the same call may succeed later without anyone changing anything.
    public var isTransient: Bool {
        switch self {
        case .unreachable, .timedOut, .rateLimited: true
        case let .rejected(status, _): status >= 500
        default: false
        }
    }
}
