import Fluent
import Foundation
import SQLKit
import Vapor

/// Vapor's session driver backed by `WebSession`: sessions live in the database (any node can
/// answer any request), expire 30 days after last use, and are stored by hash only. Only
/// signed-in people have one (a visitor's CSRF token is a cookie); the worker's `Housekeeping`
/// deletes expired ones.
struct WebSessionStore: AsyncSessionDriver {
    static let lifetime: TimeInterval = 30 * 24 * 3600

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let key = SecretToken.generate(prefix: "").value
        try await WebSession(keyHash: SecretToken.hash(key), data: data.snapshot, expiresAt: Self.expiry()).create(on: request.db)
        return SessionID(string: key)
    }

    /// Moving the expiry forward on every page would write on every page; once an hour is enough.
    static let expiryGranularity: TimeInterval = 3600

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard let session = try await find(sessionID, on: request.db), session.expiresAt > Date() else { return nil }
        request.storage[LoadedSession.self] = session
        return SessionData(initialData: session.data)
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        // The row read at the start of this request, unless it belongs to another id.
        var session = request.storage[LoadedSession.self]
        if session?.keyHash != SecretToken.hash(sessionID.string) {
            session = try await find(sessionID, on: request.db)
        }
        guard let session else {
            // Gone meanwhile (signed out elsewhere, expired): start a fresh one rather than fail.
            return try await createSession(data, for: request)
        }
        let expiry = Self.expiry()
        if session.data == data.snapshot, expiry.timeIntervalSince(session.expiresAt) < Self.expiryGranularity {
            return sessionID
        }
        session.data = data.snapshot
        session.expiresAt = expiry
        try await session.save(on: request.db)
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await WebSession.query(on: request.db).filter(\.$keyHash == SecretToken.hash(sessionID.string)).delete()
    }

    /// Every signed-in page asks, so by hand rather than through Fluent's reflection.
    private func find(_ sessionID: SessionID, on db: any Database) async throws -> WebSession? {
        try await (db as! any SQLDatabase).raw("""
            SELECT id, key_hash, data, expires_at FROM web_sessions WHERE key_hash = \(bind: SecretToken.hash(sessionID.string))
            """).first().map(WebSession.init(stored:))
    }

    private struct LoadedSession: StorageKey { typealias Value = WebSession }

    private static func expiry() -> Date { Date().addingTimeInterval(lifetime) }
}
