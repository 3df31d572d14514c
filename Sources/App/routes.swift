import Vapor

/// Every URL of Trestle, in one place.
func routes(_ app: Application) throws {
    // MARK: Health
    app.get("healthz", use: HealthAPI.health)

    // MARK: API v1 — bearer tokens
    let api = app.grouped("api", "v1")
    api.get("openapi.json", use: OpenAPIDocument.serve)

    let caller = api.grouped(BearerTokenAuthentication())
    caller.get("me", use: AccountAPI.me)
    caller.get("tokens", use: AccountAPI.listTokens)
    caller.post("tokens", use: AccountAPI.createToken)
    caller.delete("tokens", ":token", use: AccountAPI.revokeToken)
    caller.get("workspaces", use: WorkspacesAPI.list)
    caller.post("workspaces", use: WorkspacesAPI.create)
    caller.post("invitations", ":token", "accept", use: WorkspacesAPI.accept)
    caller.post("compose", "check", use: ComposeAPI.check)

    // Everything inside a workspace: members only, others get 404.
    let workspace = caller.grouped("workspaces", ":\(WorkspaceMembership.parameter)").grouped(WorkspaceMembership())
    workspace.get(use: WorkspacesAPI.show)
    workspace.patch(use: WorkspacesAPI.rename)
    workspace.delete(use: WorkspacesAPI.delete)
    workspace.get("members", use: WorkspacesAPI.members)
    workspace.delete("members", ":member", use: WorkspacesAPI.removeMember)
    workspace.get("invitations", use: WorkspacesAPI.invitations)
    workspace.post("invitations", use: WorkspacesAPI.invite)
    workspace.delete("invitations", ":invitation", use: WorkspacesAPI.revokeInvitation)
    workspace.get("posts", use: PostsAPI.list)
    workspace.post("posts", use: PostsAPI.create)
    workspace.get("posts", ":post", use: PostsAPI.show)
    workspace.patch("posts", ":post", use: PostsAPI.update)
    workspace.delete("posts", ":post", use: PostsAPI.delete)

    // MARK: Web — session cookie + CSRF
    let web = app.grouped(app.sessions.middleware, SessionUserLoader(), CSRFProtection())
    web.get("signup", use: SignInPages.signUpForm)
    web.post("signup", use: SignInPages.signUp)
    web.get("login", use: SignInPages.logInForm)
    web.post("login", use: SignInPages.logIn)
    web.post("logout", use: SignInPages.logOut)
    web.get("invitations", ":token", use: InvitationPages.show)
    web.post("invitations", ":token", "accept", use: InvitationPages.accept)

    let signedIn = web.grouped(RequireSignIn())
    signedIn.get(use: WorkspacePages.home)
    signedIn.get("workspaces", "new", use: WorkspacePages.newForm)
    signedIn.post("workspaces", use: WorkspacePages.create)
    signedIn.get("account", "tokens", use: TokenPages.list)
    signedIn.post("account", "tokens", use: TokenPages.create)
    signedIn.post("account", "tokens", ":token", "revoke", use: TokenPages.revoke)

    let page = signedIn.grouped("workspaces", ":\(WorkspaceMembership.parameter)").grouped(WorkspaceMembership())
    page.get(use: WorkspacePages.dashboard)
    page.get("compose", use: ComposerPages.composer)
    page.post("compose", "check", use: ComposerPages.check)
    page.get("posts", use: DraftPages.list)
    page.post("posts", use: DraftPages.create)
    page.get("posts", ":post", "edit", use: DraftPages.edit)
    page.post("posts", ":post", use: DraftPages.update)
    page.post("posts", ":post", "delete", use: DraftPages.delete)
    page.get("settings", use: WorkspaceSettingsPages.settings)
    page.post("settings", use: WorkspaceSettingsPages.rename)
    page.post("invitations", use: WorkspaceSettingsPages.invite)
    page.post("invitations", ":invitation", "revoke", use: WorkspaceSettingsPages.revokeInvitation)
    page.post("members", ":member", "remove", use: WorkspaceSettingsPages.removeMember)
    page.post("leave", use: WorkspaceSettingsPages.leave)
    page.get("delete", use: WorkspaceSettingsPages.deleteForm)
    page.post("delete", use: WorkspaceSettingsPages.delete)
}
