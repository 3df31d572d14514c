import Fluent
import Foundation
import SQLKit

/// Deletes what has expired — web sessions past their date, sign-in and sign-up attempts older
/// than any throttle window, activity older than a year — so those tables stay small without a
/// request paying for it.
struct Housekeeping: Sendable {
    static let interval: TimeInterval = 3600

    let db: any Database

    func run(now: Date = Date()) async throws {
        try await WebSession.query(on: db).filter(\.$expiresAt < now).delete()
        try await LoginThrottle.forgetOld(on: db, now: now)
        // A day's visitor salt goes with its day, so its hashes can never be matched again.
        try await VisitorSalts.forget(before: VisitorSalts.day(of: now), db: db as! any SQLDatabase)
        // The activity feed keeps a year.
        try await ActivityLog.forget(before: now.addingTimeInterval(-ActivityLog.keptFor), on: db)
    }
}
