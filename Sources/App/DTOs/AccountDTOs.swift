import Foundation
import Vapor

struct UserDTO: Content {
    var id: String
    var email: String

    init(_ user: User) throws {
        id = try user.requireID().uuidString
        email = user.email
    }
}

struct MeResponse: Content {
    var user: UserDTO
    var workspaces: [WorkspaceDTO]
}

struct APITokenDTO: Content {
    var id: String
    var name: String
    var prefix: String
    var createdAt: Date?
    var lastUsedAt: Date?
    /// Present only in the answer that creates the token.
    var token: String?

    init(_ token: APIToken, secret: String? = nil) throws {
        id = try token.requireID().uuidString
        name = token.name
        prefix = token.prefix
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
        self.token = secret
    }
}

struct CreateTokenRequest: APIRequestBody {
    static let fields: Set<String> = ["name"]
    var name: String
}
