import Fluent
import Foundation

/// Slows down password guessing and mass sign-up: too many recent attempts for one account, or
/// from one address, and sign-in (or sign-up) answers 429 until the window has passed. Kept in
/// the database so every node sees the same count.
///
/// An attempt is written down *before* the slow password hash, then the recent ones are
/// counted, each statement committed on its own. Parallel attempts therefore each see at least
/// every attempt written before theirs, and no more than the limit ever reach the hash, on
/// SQLite and PostgreSQL alike. A refused attempt is taken back, so hammering does not keep an
/// account locked forever; a successful sign-in takes back its own and clears the account's.
struct LoginThrottle: Sendable {
    static let window: TimeInterval = 15 * 60
    static let accountLimit = 5
    static let addressLimit = 20
    static let signUpWindow: TimeInterval = 3600
    static let signUpLimit = 10

    let db: any Database
    var now: @Sendable () -> Date = Date.init

    static func accountSubject(_ email: String) -> String { "account:\(email)" }
    static func addressSubject(_ address: String) -> String { "address:\(address)" }
    static func signUpSubject(_ address: String) -> String { "signup:\(address)" }

    /// The rows one sign-in attempt wrote, to take back when it succeeds.
    struct Attempt: Sendable {
        fileprivate var rows: [UUID]
        fileprivate var email: String
    }

    /// Counts a sign-in attempt; throws a 429 with `Retry-After` when it is one too many for
    /// the account or the address.
    func beginSignIn(email: String, address: String?) async throws -> Attempt {
        var limits = [(Self.accountSubject(email), Self.accountLimit)]
        if let address { limits.append((Self.addressSubject(address), Self.addressLimit)) }
        let rows = try await count(limits, within: Self.window) { minutes in
            "Too many failed sign-in attempts. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again, or reset your password with your administrator."
        }
        return Attempt(rows: rows, email: email)
    }

    /// The password was right: this attempt and the account's earlier failures are forgotten.
    func succeeded(_ attempt: Attempt) async throws {
        try await LoginFailure.query(on: db)
            .group(.or) { $0.filter(\.$id ~~ attempt.rows).filter(\.$subject == Self.accountSubject(attempt.email)) }
            .delete()
    }

    /// Counts a sign-up from `address`; throws a 429 past `signUpLimit` an hour.
    func beginSignUp(address: String?) async throws {
        guard let address else { return }
        _ = try await count([(Self.signUpSubject(address), Self.signUpLimit)], within: Self.signUpWindow) { minutes in
            "Too many accounts were made from your address. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again."
        }
    }

    /// Writes one row per subject, then counts each subject's rows in the window.
    private func count(_ limits: [(subject: String, limit: Int)], within window: TimeInterval, message: (Int) -> String) async throws -> [UUID] {
        let at = now()
        var rows: [UUID] = []
        for (subject, _) in limits {
            let row = LoginFailure(subject: subject, occurredAt: at)
            try await row.create(on: db)
            rows.append(try row.requireID())
        }
        let since = at.addingTimeInterval(-window)
        for (subject, limit) in limits {
            let recent = LoginFailure.query(on: db).filter(\.$subject == subject).filter(\.$occurredAt > since)
            guard try await recent.count() > limit else { continue }
            try await LoginFailure.query(on: db).filter(\.$id ~~ rows).delete()
            let oldest = try await recent.sort(\.$occurredAt, .ascending).first()?.occurredAt ?? at
            let wait = max(1, Int(oldest.addingTimeInterval(window).timeIntervalSince(at).rounded(.up)))
            throw ServiceError.tooManyAttempts(message((wait + 59) / 60), retryAfter: wait)
        }
        return rows
    }

    /// Drops attempts older than any window; the worker calls it.
    static func forgetOld(on db: any Database, now: Date = Date()) async throws {
        try await LoginFailure.query(on: db).filter(\.$occurredAt < now.addingTimeInterval(-max(window, signUpWindow))).delete()
    }
}
