import Crypto
import Foundation
import SQLKit
import Synchronization

/// Unique visitors without keeping anyone's address: a visitor is a hash of their address and
/// browser under a salt made at random for each day (UTC), shared by the nodes through the
/// database and deleted once its day is over, so yesterday's hashes can never be matched again.
final class VisitorSalts: Sendable {
    private let today = Mutex<(day: String, salt: String)?>(nil)

    /// The visitor's hash for `day`: 16 hex digits of SHA-256 over the salt, address and browser.
    func visitor(address: String, userAgent: String, on day: String, db: any SQLDatabase) async throws -> String {
        let salt = try await salt(for: day, db: db)
        let digest = SHA256.hash(data: Data("\(salt)\n\(address)\n\(userAgent.prefix(512))".utf8))
        return digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    private func salt(for day: String, db: any SQLDatabase) async throws -> String {
        if let known = today.withLock({ $0 }), known.day == day { return known.salt }
        let made = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        // The first node to need the day's salt makes it; the others read that one.
        try await db.raw("INSERT INTO visitor_salts (day, salt) VALUES (\(bind: day), \(bind: made)) ON CONFLICT (day) DO NOTHING").run()
        let salt = try await db.raw("SELECT salt FROM visitor_salts WHERE day = \(bind: day)").first()?.decode(column: "salt", as: String.self) ?? made
        today.withLock { $0 = (day, salt) }
        return salt
    }

    /// Deletes the salts of days before `day`.
    static func forget(before day: String, db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM visitor_salts WHERE day < \(bind: day)").run()
    }

    static func day(of instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
