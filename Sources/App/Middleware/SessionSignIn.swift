import SQLKit
import Vapor

/// Web sessions: which user is signed in, which workspace they used last, and the CSRF token.
/// Sessions themselves live in the database (Vapor's Fluent session driver).
enum SessionKeys {
    static let user = "user"
    static let csrf = "csrf"
    static let lastWorkspace = "workspace"
    /// A Mastodon sign-in under way (`MastodonSignIn.Pending`).
    static let mastodonSignIn = "mastodon_sign_in"
    /// A sign-in at an OAuth network under way (`OAuthSignIn.Pending`).
    static let oauthSignIn = "oauth_sign_in"
    /// A sign-in that can act as several accounts, waiting for the person to choose
    /// (`OAuthSignIn.Choosing`).
    static let oauthChoosing = "oauth_choosing"
}

/// Loads the signed-in user from the session, if there is one.
struct SessionUserLoader: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let raw = request.session.data[SessionKeys.user], let id = UUID(uuidString: raw) {
            // Every signed-in page asks, so by hand rather than through Fluent's reflection.
            let row = try await (request.db as! any SQLDatabase).raw("""
                SELECT id, email, password_hash, created_at FROM users WHERE id = \(bind: id)
                """).first()
            if let user = try row.map(User.init(stored:)) {
                request.currentUser = user
            } else {
                request.session.data[SessionKeys.user] = nil
            }
        }
        return try await next.respond(to: request)
    }
}

/// Sends visitors who are not signed in to the login page, and back afterwards.
struct RequireSignIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.currentUser != nil else {
            let back = request.method == .GET ? request.url.path : "/"
            return request.redirect(to: "/login?\(queryString(["next": back]))")
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The CSRF token every form carries back: in the session of a signed-in person, made on
    /// first use; a visitor's in a cookie of its own, so no session is stored for them.
    var csrfToken: String {
        guard hasSession else { return CSRFProtection.visitorToken(for: self) }
        if let token = session.data[SessionKeys.csrf] { return token }
        let token = SecretToken.generate(prefix: "").value
        session.data[SessionKeys.csrf] = token
        return token
    }

    func signIn(_ user: User) async throws {
        // A new session id on sign-in, so a session id planted before cannot be ridden.
        if let old = session.id {
            try await application.sessions.driver.deleteSession(old, for: self).get()
        }
        session.id = nil
        session.data = SessionData()
        session.data[SessionKeys.user] = try user.requireID().uuidString
        currentUser = user
    }

    func signOut() {
        session.destroy()
        currentUser = nil
    }
}
