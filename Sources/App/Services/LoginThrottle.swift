import Fluent
import Foundation

/// Slows down password guessing: too many recent failures for one account, or from one
/// address, and sign-in answers 429 until the window has passed. Kept in the database so every
/// node sees the same count.
struct LoginThrottle: Sendable {
    static let window: TimeInterval = 15 * 60
    static let accountLimit = 5
    static let addressLimit = 20

    let db: any Database
    var now: @Sendable () -> Date = Date.init

    static func accountSubject(_ email: String) -> String { "account:\(email)" }
    static func addressSubject(_ address: String) -> String { "address:\(address)" }

    /// Throws a 429 with `Retry-After` when either subject has used up its attempts.
    func checkAllowed(email: String, address: String?) async throws {
        let since = now().addingTimeInterval(-Self.window)
        var checks = [(Self.accountSubject(email), Self.accountLimit)]
        if let address { checks.append((Self.addressSubject(address), Self.addressLimit)) }
        for (subject, limit) in checks {
            let recent = try await LoginFailure.query(on: db)
                .filter(\.$subject == subject)
                .filter(\.$occurredAt > since)
                .sort(\.$occurredAt, .ascending)
                .all()
            guard recent.count >= limit, let oldest = recent.first else { continue }
            let wait = max(1, Int(oldest.occurredAt.addingTimeInterval(Self.window).timeIntervalSince(now()).rounded(.up)))
            let minutes = (wait + 59) / 60
            throw AppError.tooManyRequests(
                "Too many failed sign-in attempts. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again, or reset your password with your administrator.",
                retryAfter: wait
            )
        }
    }

    func recordFailure(email: String, address: String?) async throws {
        let at = now()
        try await LoginFailure(subject: Self.accountSubject(email), occurredAt: at).create(on: db)
        if let address {
            try await LoginFailure(subject: Self.addressSubject(address), occurredAt: at).create(on: db)
        }
        // Old rows are of no use; dropping them here keeps the table small without a job.
        try await LoginFailure.query(on: db).filter(\.$occurredAt < at.addingTimeInterval(-Self.window)).delete()
    }

    func clear(email: String) async throws {
        try await LoginFailure.query(on: db).filter(\.$subject == Self.accountSubject(email)).delete()
    }
}
