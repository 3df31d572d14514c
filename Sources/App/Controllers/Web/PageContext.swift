import Vapor

/// What every page's layout needs: title, the signed-in user, the workspace switcher and the
/// CSRF token for its forms.
struct PageContext: Encodable {
    struct WorkspaceLink: Encodable {
        var id: String
        var name: String
        var current: Bool
    }
    struct CurrentWorkspace: Encodable {
        var id: String
        var name: String
        var isOwner: Bool
        var inboxURL: String
        /// Open items no member has opened yet, beside "Inbox" in the navigation.
        var inboxUnread: Int
    }

    var title: String
    var csrf: String
    var userEmail: String?
    /// The signed-in person's unread notifications, beside "Notifications".
    var notificationsUnread = 0
    var workspaces: [WorkspaceLink] = []
    var workspace: CurrentWorkspace?

    /// An error page: it may answer a request that never went through the session middleware.
    init(errorFor request: Request, title: String) {
        self.title = title
        self.csrf = request.hasSession ? request.csrfToken : ""
        self.userEmail = request.currentUser?.email
    }

    /// A page without the workspace switcher (sign-in pages).
    init(request: Request, title: String) {
        self.title = title
        self.csrf = request.csrfToken
        self.userEmail = request.currentUser?.email
    }

    /// A page of a signed-in user, with the switcher and, inside a workspace, that workspace.
    static func load(_ request: Request, title: String, in access: WorkspaceAccess? = nil) async throws -> PageContext {
        var context = PageContext(request: request, title: title)
        guard let user = request.currentUser else { return context }
        context.notificationsUnread = try await request.wiring.notifications(on: request.db).unreadCount(for: user)
        let currentID = try access?.workspace.requireID()
        context.workspaces = try await WorkspaceService(db: request.db).workspaces(of: user).map {
            let id = try $0.workspace.requireID()
            return WorkspaceLink(id: id.uuidString, name: $0.workspace.name, current: id == currentID)
        }
        if let access, let currentID {
            // One COUNT on the workspace's items (its index), kept a few seconds across pages.
            let wiring = request.wiring
            let unread = try await wiring.inboxUnread.count(of: currentID, generation: wiring.inbox.generation(of: currentID)) {
                try await wiring.inbox(on: request.db).unreadCount(in: access.workspace)
            }
            context.workspace = CurrentWorkspace(
                id: currentID.uuidString, name: access.workspace.name, isOwner: access.membership.role == .owner,
                inboxURL: InboxURL.list(currentID), inboxUnread: unread
            )
        }
        return context
    }
}

/// Messages for the fields of a form that did not pass, keyed by field name.
typealias FieldErrors = [String: String]

extension Request {
    /// Renders a page with its status (422 for a form that needs changes).
    func page(_ template: String, _ context: some Encodable, status: HTTPStatus = .ok) async throws -> Response {
        let response = try await view.render(template, context).encodeResponse(for: self)
        response.status = status
        return response
    }

    /// Where a form post goes next: back to the given local path, never to another site.
    func safeRedirectTarget(_ next: String?) -> String {
        RedirectTarget.sameSitePath(next) ?? "/"
    }
}

/// `a=1&b=2`, each value percent-encoded for a query string.
func queryString(_ items: [String: String]) -> String {
    var allowed = CharacterSet.urlQueryAllowed
    allowed.remove(charactersIn: "&=+?#/")
    return items.sorted { $0.key < $1.key }
        .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
        .joined(separator: "&")
}
