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

    /// The client's address, for slowing down repeated failed sign-ins. Behind a trusted
    /// reverse proxy it is the last address in `X-Forwarded-For` that is not a proxy itself;
    /// otherwise the socket's, since anyone can write that header.
    var clientAddress: String? {
        guard let peer = remoteAddress?.ipAddress else { return nil }
        let proxies = application.settings.trustedProxies
        guard proxies.contains(peer) else { return peer }
        let hops = headers[.xForwardedFor].joined(separator: ",").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.reversed().first { !$0.isEmpty && !proxies.contains($0) } ?? peer
    }

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
