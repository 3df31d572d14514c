import Foundation
import TextRules
import Vapor

/// The step after signing in where one sign-in can act as several accounts (a person's
/// Facebook Pages): the accounts offered, and the one chosen connected. The choice waits in
/// the person's session (`SessionKeys.oauthChoosing`) for 15 minutes.
enum AccountChoicePages {
    struct Context: Encodable {
        struct Account: Encodable {
            var remoteID: String
            var displayName: String
            var handle: String
            var checked: Bool
        }

        var page: PageContext
        var network: String
        var networkName: String
        var accounts: [Account]
        var error: String?
    }

    struct ChoiceForm: Content {
        var account: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (choosing, access) = try await pending(req)
        return try await render(req, choosing, access, chosen: nil, error: nil)
    }

    @Sendable static func choose(_ req: Request) async throws -> Response {
        let (choosing, access) = try await pending(req)
        let form = try req.content.decode(ChoiceForm.self)
        do {
            _ = try await OAuthSignIn(wiring: req.wiring).choose(form.account, from: choosing, into: access.workspace, channels: req.channelService, by: req.requireUser())
            req.session.data[SessionKeys.oauthChoosing] = nil
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels")
        } catch let error as ServiceError where error.status != .notFound {
            if error.code == "expired" { req.session.data[SessionKeys.oauthChoosing] = nil }
            return try await render(req, choosing, access, chosen: form.account, error: error.fields.values.sorted().first ?? error.message, status: error.status)
        }
    }

    /// The choice in this person's session, for this network, and the workspace it connects to.
    private static func pending(_ req: Request) async throws -> (OAuthSignIn.Choosing, WorkspaceAccess) {
        guard let raw = req.session.data[SessionKeys.oauthChoosing],
              let choosing = try? JSONDecoder().decode(OAuthSignIn.Choosing.self, from: Data(raw.utf8)),
              choosing.network == req.parameters.get("network") else {
            throw AppError.badRequest("invalid_state", "There is no sign-in waiting for a choice. Connect the account again from Channels.")
        }
        let (workspace, membership) = try await WorkspaceService(db: req.db).membership(of: req.requireUser(), in: choosing.workspaceID)
        let access = WorkspaceAccess(workspace: workspace, membership: membership)
        req.workspaceAccess = access
        return (choosing, access)
    }

    private static func render(_ req: Request, _ choosing: OAuthSignIn.Choosing, _ access: WorkspaceAccess, chosen: String?, error: String?,
                               status: HTTPStatus = .ok) async throws -> Response {
        let networkName = Network(rawValue: choosing.network)?.displayName ?? choosing.network
        return try await req.page("channel-choose", Context(
            page: .load(req, title: "Choose an account · \(access.workspace.name)", in: access), network: choosing.network, networkName: networkName,
            accounts: choosing.accounts.map { Context.Account(remoteID: $0.remoteID, displayName: $0.displayName, handle: $0.handle == $0.displayName ? "" : $0.handle, checked: $0.remoteID == chosen) },
            error: error
        ), status: status)
    }
}
