import Vapor

/// Sign up, log in, log out.
enum SignInPages {
    struct SignUpForm: Content {
        var email: String?
        var password: String?
        var workspace: String?
        /// Set when the person arrived through an invitation link.
        var invitation: String?
    }

    struct LogInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    struct SignUpContext: Encodable {
        var page: PageContext
        var form: SignUpForm
        var errors: FieldErrors
        var message: String?
        var invitedTo: String?
    }

    struct LogInContext: Encodable {
        var page: PageContext
        var email: String
        var next: String
        var errors: FieldErrors
        var message: String?
    }

    @Sendable static func signUpForm(_ req: Request) async throws -> Response {
        let invitation = req.query[String.self, at: "invitation"]
        let invitedTo = try await invitation.asyncMap { try await InvitationService(db: req.db).usable(token: $0).workspace.name }
        let form = SignUpForm(invitation: invitation)
        return try await req.page("signup", SignUpContext(page: PageContext(request: req, title: "Sign up"), form: form, errors: [:], invitedTo: invitedTo))
    }

    @Sendable static func signUp(_ req: Request) async throws -> Response {
        var form = try req.content.decode(SignUpForm.self)
        let invitation = form.invitation.flatMap { $0.isEmpty ? nil : $0 }
        do {
            let account = AccountService(db: req.db, passwords: PasswordHashing(application: req.application))
            let (user, workspace) = try await account.signUp(.init(
                email: form.email ?? "", password: form.password ?? "",
                workspaceName: invitation == nil ? (form.workspace ?? "") : nil,
                invitationToken: invitation, address: req.clientAddress
            ))
            try await req.signIn(user)
            guard let workspace else { return req.redirect(to: "/") }
            return req.redirect(to: "/workspaces/\(try workspace.requireID())")
        } catch let error as ServiceError where !error.fields.isEmpty || error.code == "invitation_unusable" || error.status == .tooManyRequests {
            form.password = nil
            let invitedTo = try? await invitation.asyncMap { try await InvitationService(db: req.db).usable(token: $0).workspace.name }
            let context = SignUpContext(
                page: PageContext(request: req, title: "Sign up"), form: form, errors: error.fields,
                message: error.fields.isEmpty ? error.message : nil, invitedTo: invitedTo ?? nil
            )
            let response = try await req.page("signup", context, status: error.status)
            error.headers.forEach { response.headers.replaceOrAdd(name: $0.name, value: $0.value) }
            return response
        }
    }

    @Sendable static func logInForm(_ req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: "/") }
        let next = req.safeRedirectTarget(req.query[String.self, at: "next"])
        return try await req.page("login", LogInContext(page: PageContext(request: req, title: "Log in"), email: "", next: next, errors: [:]))
    }

    @Sendable static func logIn(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LogInForm.self)
        let next = req.safeRedirectTarget(form.next)
        do {
            let account = AccountService(db: req.db, passwords: PasswordHashing(application: req.application))
            let user = try await account.authenticate(email: form.email ?? "", password: form.password ?? "", address: req.clientAddress)
            try await req.signIn(user)
            return req.redirect(to: next)
        } catch let error as ServiceError where error.status == .unauthorized || error.status == .tooManyRequests {
            let context = LogInContext(
                page: PageContext(request: req, title: "Log in"), email: form.email ?? "", next: next,
                errors: [:], message: error.message
            )
            let response = try await req.page("login", context, status: error.status)
            error.headers.forEach { response.headers.replaceOrAdd(name: $0.name, value: $0.value) }
            return response
        }
    }

    @Sendable static func logOut(_ req: Request) async throws -> Response {
        req.signOut()
        return req.redirect(to: "/login")
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
