import Fluent
import Foundation
import SQLKit

/// API tokens: made by a person, shown once, stored hashed, revoked at will.
struct APITokenService: Sendable {
    static let tokenPrefix = "trs_"
    /// Marking a token used on every request would turn every API read into a write.
    static let lastUsedGranularity: TimeInterval = 60

    let db: any Database
    private var sql: any SQLDatabase { db as! any SQLDatabase }

    func create(for user: User, name rawName: String) async throws -> (token: APIToken, secret: String) {
        let name = FieldRules.tokenName(rawName)
        if let problem = name.problem { throw ServiceError.invalid(["name": problem]) }
        let secret = SecretToken.generate(prefix: Self.tokenPrefix)
        let token = APIToken(
            userID: try user.requireID(), name: name.value, tokenHash: secret.hash,
            prefix: String(secret.value.prefix(Self.tokenPrefix.count + 6))
        )
        try await token.create(on: db)
        return (token, secret.value)
    }

    func tokens(of user: User) async throws -> [APIToken] {
        try await APIToken.query(on: db)
            .filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending)
            .all()
    }

    func revoke(_ tokenID: UUID, of user: User) async throws {
        guard
            let token = try await APIToken.query(on: db)
                .filter(\.$id == tokenID)
                .filter(\.$user.$id == user.requireID())
                .first()
        else { throw ServiceError.notFound("This token") }
        try await token.delete(on: db)
    }

    /// The user a bearer token acts for, or nil when it is unknown or revoked. Every API request
    /// asks, so this is one query on the unique index of `token_hash`, without Fluent's query
    /// building and model decoding. Nothing is cached: a token revoked on any node is refused
    /// on its next request.
    func user(forBearer secret: String, now: Date = Date()) async throws -> User? {
        guard secret.hasPrefix(Self.tokenPrefix) else { return nil }
        guard
            let row = try await sql.raw("""
                SELECT api_tokens.id AS token_id, api_tokens.last_used_at,
                       users.id, users.email, users.password_hash, users.created_at
                FROM api_tokens JOIN users ON users.id = api_tokens.user_id
                WHERE api_tokens.token_hash = \(bind: SecretToken.hash(secret))
                """).first()
        else { return nil }
        let lastUsedAt = try row.decode(column: "last_used_at", as: Date?.self)
        if lastUsedAt.map({ now.timeIntervalSince($0) > Self.lastUsedGranularity }) ?? true {
            try await markUsed(row.decode(column: "token_id", as: UUID.self), at: now)
        }
        return try User(stored: row)
    }

    /// Notes that a token was used. Of the requests that find the mark stale at the same moment,
    /// only the first changes the row.
    private func markUsed(_ tokenID: UUID, at now: Date) async throws {
        let stale = now.addingTimeInterval(-Self.lastUsedGranularity)
        try await sql.update(APIToken.schema)
            .set("last_used_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(tokenID))
            .where { $0.where("last_used_at", .is, SQLLiteral.null).orWhere("last_used_at", .lessThan, SQLBind(stale)) }
            .run()
    }
}
