import Vapor

extension Request {
    private struct UserKey: StorageKey { typealias Value = User }
    private struct AccessKey: StorageKey { typealias Value = WorkspaceAccess }

    /// The signed-in user (session on the web, bearer token on the API), if any.
    var currentUser: User? {
        get { storage[UserKey.self] }
        set { storage[UserKey.self] = newValue }
    }

    func requireUser() throws -> User {
        guard let user = currentUser else { throw AppError.unauthorized }
        return user
    }

    /// The workspace named in the path and the caller's membership of it.
    var workspaceAccess: WorkspaceAccess? {
        get { storage[AccessKey.self] }
        set { storage[AccessKey.self] = newValue }
    }

    func requireWorkspace() throws -> WorkspaceAccess {
        guard let access = workspaceAccess else { throw AppError.notFound("This workspace") }
        return access
    }

    /// The client's address, for slowing down repeated failed sign-ins.
    var clientAddress: String? { remoteAddress?.ipAddress }

    func uuidParameter(_ name: String) throws -> UUID {
        guard let value = parameters.get(name, as: UUID.self) else { throw AppError.notFound() }
        return value
    }
}

/// A workspace as seen by one of its members.
struct WorkspaceAccess: Sendable {
    let workspace: Workspace
    let membership: Membership
}
