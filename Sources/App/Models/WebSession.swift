import Fluent
import Foundation

/// A signed-in (or about to sign in) browser. The cookie holds a random id; the database holds
/// only its SHA-256, so a copy of the database cannot be used to ride a session.
final class WebSession: Model, @unchecked Sendable {
    static let schema = "web_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "data") var data: [String: String]
    /// Sliding: every request that uses the session moves it forward.
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(keyHash: String, data: [String: String], expiresAt: Date) {
        self.keyHash = keyHash
        self.data = data
        self.expiresAt = expiresAt
    }
}
