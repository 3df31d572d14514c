import Fluent
import Foundation

/// API tokens: made by a person, shown once, stored hashed, revoked at will.
struct APITokenService: Sendable {
    static let tokenPrefix = "trs_"
    /// Marking a token used on every request would turn every API read into a write.
    static let lastUsedGranularity: TimeInterval = 60

    let db: any Database

    func create(for user: User, name rawName: String) async throws -> (token: APIToken, secret: String) {
        let name = FieldRules.tokenName(rawName)
        if let problem = name.problem { throw AppError.invalid(["name": problem]) }
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
        else { throw AppError.notFound("This token") }
        try await token.delete(on: db)
    }

    /// The user a bearer token acts for, or nil when it is unknown or revoked.
    func user(forBearer secret: String, now: Date = Date()) async throws -> User? {
        guard secret.hasPrefix(Self.tokenPrefix) else { return nil }
        // One query with a join: every API request pays for this lookup.
        guard
            let token = try await APIToken.query(on: db)
                .join(User.self, on: \APIToken.$user.$id == \User.$id)
                .filter(\.$tokenHash == SecretToken.hash(secret))
                .first()
        else { return nil }
        let user = try token.joined(User.self)
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > Self.lastUsedGranularity }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: db)
        }
        return user
    }
}
