import Fluent
import Foundation

/// Deletes what has expired — web sessions past their date, sign-in and sign-up attempts older
/// than any throttle window — so those tables stay small without a request paying for it.
struct Housekeeping: Sendable {
    static let interval: TimeInterval = 3600

    let db: any Database

    func run(now: Date = Date()) async throws {
        try await WebSession.query(on: db).filter(\.$expiresAt < now).delete()
        try await LoginThrottle.forgetOld(on: db, now: now)
    }
}
