import Fluent
import Foundation

/// Signing up and signing in.
struct AccountService: Sendable {
    let db: any Database
    let passwords: PasswordHashing

    struct SignUp: Sendable {
        var email: String
        var password: String
        /// Absent when the person joins through an invitation instead.
        var workspaceName: String?
        /// The secret of the invitation link the person arrived with.
        var invitationToken: String?
        /// Where the request came from, to slow down mass sign-up; nil from the command line.
        var address: String? = nil
    }

    /// Creates the user and, in the same transaction, either a workspace of which the user is the
    /// owner or their membership of the workspace they were invited to.
    func signUp(_ input: SignUp) async throws -> (user: User, workspace: Workspace?) {
        try await LoginThrottle(db: db).beginSignUp(address: input.address)
        var problems: [String: String] = [:]
        let email = FieldRules.email(input.email)
        if let problem = email.problem { problems["email"] = problem }
        if let problem = FieldRules.password(input.password) { problems["password"] = problem }
        let checkedName = input.workspaceName.map(FieldRules.workspaceName)
        if let problem = checkedName?.problem { problems["workspace"] = problem }
        let workspaceName = checkedName?.value
        if problems.isEmpty, try await User.query(on: db).filter(\.$email == email.value).first() != nil {
            problems["email"] = "An account with this email already exists. Log in instead."
        }
        guard problems.isEmpty else { throw ServiceError.invalid(problems) }
        if let token = input.invitationToken {
            _ = try await InvitationService(db: db).usable(token: token)
        }

        let user = User(email: email.value, passwordHash: try await passwords.hash(input.password))
        let workspace: Workspace? = try await db.transaction { tx in
            try await user.create(on: tx)
            if let token = input.invitationToken {
                return try await InvitationService(db: tx).accept(token: token, by: user)
            }
            guard let workspaceName else { return nil }
            return try await WorkspaceService(db: tx).create(name: workspaceName, owner: user)
        }
        return (user, workspace)
    }

    /// The user with this email and password, or a 401 that does not say which part was wrong.
    func authenticate(email rawEmail: String, password: String, address: String?) async throws -> User {
        let email = FieldRules.email(rawEmail).value
        let throttle = LoginThrottle(db: db)
        let attempt = try await throttle.beginSignIn(email: email, address: address)
        let user = try await User.query(on: db).filter(\.$email == email).first()
        guard let user, try await passwords.verify(password, against: user.passwordHash) else {
            throw ServiceError(kind: .wrongCredentials, code: "wrong_credentials", message: "That email and password do not match an account.", fields: ["password": "That email and password do not match an account."])
        }
        try await throttle.succeeded(attempt)
        return user
    }
}
