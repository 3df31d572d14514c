import Foundation
import Vapor

struct WorkspaceDTO: Content {
    var id: String
    var name: String
    var role: String
    /// Approvals from members other than the author a post needs before it is scheduled.
    var approvalsRequired: Int

    init(_ workspace: Workspace, role: Membership.Role) throws {
        id = try workspace.requireID().uuidString
        name = workspace.name
        self.role = role.rawValue
        approvalsRequired = workspace.approvalsRequired
    }
}

struct MemberDTO: Content {
    var id: String
    var email: String
    var role: String
    var joinedAt: Date?

    init(_ member: WorkspaceService.Member) throws {
        id = try member.user.requireID().uuidString
        email = member.user.email
        role = member.membership.role.rawValue
        joinedAt = member.membership.createdAt
    }
}

struct InvitationDTO: Content {
    var id: String
    var expiresAt: Date
    var createdAt: Date?
    /// The link to share; present only in the answer that creates the invitation.
    var url: String?

    init(_ invitation: Invitation, url: String? = nil) throws {
        id = try invitation.requireID().uuidString
        expiresAt = invitation.expiresAt
        createdAt = invitation.createdAt
        self.url = url
    }
}

struct WorkspaceNameRequest: APIRequestBody {
    static let fields: Set<String> = ["name"]
    var name: String
}

/// `{"name", "approvalsRequired"}`; a field left out stays as it is.
struct WorkspaceChangeRequest: APIRequestBody {
    static let fields: Set<String> = ["name", "approvalsRequired"]
    var name: String?
    var approvalsRequired: Int?
}

struct HealthResponse: Content {
    struct WorkerStatus: Content {
        var lastHeartbeat: Date?

        init(lastHeartbeat: Date?) { self.lastHeartbeat = lastHeartbeat }

        // `null` rather than a missing key: "no worker has ever beaten" is an answer too.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(lastHeartbeat, forKey: .lastHeartbeat)
        }
    }
    var status: String
    var database: String
    var worker: WorkerStatus
}
