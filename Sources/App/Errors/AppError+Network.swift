import Networks
import Vapor

extension AppError {
    /// A network's failure as the person connecting or posting sees it. What they typed is at
    /// fault → 422 on `field`; the network is down or busy → 502/503, nothing changed.
    static func network(_ error: NetworkError, field: String, networkName: String) -> AppError {
        let sentence = error.description
        switch error {
        case .invalidURL, .refusedAddress, .unauthorized, .unexpectedResponse:
            return .invalid([field: sentence], message: "\(networkName) did not accept this; nothing was saved.")
        case let .rateLimited(retryAfter):
            return AppError(
                status: .serviceUnavailable, code: "network_rate_limited", message: "\(networkName): \(sentence)",
                headers: retryAfter.map { ["Retry-After": String($0)] } ?? [:]
            )
        case .unreachable, .timedOut:
            return AppError(status: .badGateway, code: "network_unreachable", message: sentence)
        case .rejected:
            return AppError(status: .badGateway, code: "network_refused", message: "\(networkName): \(sentence)")
        case .configuration:
            return AppError(status: .internalServerError, code: "internal_error", message: sentence)
        }
    }
}
