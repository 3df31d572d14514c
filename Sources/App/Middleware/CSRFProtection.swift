import Crypto
import Foundation
import Vapor

/// Refuses any state-changing web request whose `_csrf` form field (or `X-CSRF-Token` header)
/// does not match the token Trestle gave it.
///
/// A signed-in person's token lives in their session. A visitor's lives in a cookie of its own
/// (the double-submit pattern), so showing the login or sign-up page stores nothing: a session
/// row is written only for someone signed in.
struct CSRFProtection: AsyncMiddleware {
    static let field = "_csrf"
    static let visitorCookie = "trestle_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            try await check(request)
        }
        let response = try await next.respond(to: request)
        if let issued = request.storage[IssuedVisitorToken.self] {
            response.cookies[Self.visitorCookie] = HTTPCookies.Value(
                string: issued, path: "/", isSecure: request.application.settings.servesHTTPS, isHTTPOnly: true, sameSite: .lax
            )
        }
        return response
    }

    private func check(_ request: Request) async throws {
        var expected: [String] = []
        if request.hasSession, let token = request.session.data[SessionKeys.csrf] { expected.append(token) }
        if let token = request.cookies[Self.visitorCookie]?.string, !token.isEmpty { expected.append(token) }
        var sent = request.headers.first(name: "X-CSRF-Token")
        if sent == nil {
            // A large form arrives in pieces; read all of it (up to what the route accepts)
            // before looking for the field, which may come last.
            if request.body.data == nil {
                _ = try await request.body.collect(max: request.acceptedBodyBytes).get()
            }
            sent = try? request.content.get(String.self, at: Self.field)
        }
        guard let sent, expected.contains(where: { Self.constantTimeEquals($0, sent) }) else {
            throw AppError(status: .forbidden, code: "csrf_failed", message: "This form has expired or did not come from Trestle. Go back, reload the page and try again.")
        }
    }

    /// A visitor's token: the one their cookie carries, or a new one set with this answer.
    static func visitorToken(for request: Request) -> String {
        if let issued = request.storage[IssuedVisitorToken.self] { return issued }
        if let token = request.cookies[visitorCookie]?.string, token.count >= 32, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            return token
        }
        let token = SecretToken.generate(prefix: "").value
        request.storage[IssuedVisitorToken.self] = token
        return token
    }

    private struct IssuedVisitorToken: StorageKey { typealias Value = String }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Route {
    /// The largest body this route reads, when it is not the application's default.
    @discardableResult
    func acceptingBodies(upTo bytes: Int) -> Route {
        userInfo["trestle.acceptedBodyBytes"] = bytes
        return self
    }
}

extension Request {
    /// What the matched route collects at most: its own limit, or the application's default.
    var acceptedBodyBytes: Int {
        route?.userInfo["trestle.acceptedBodyBytes"] as? Int ?? application.routes.defaultMaxBodySize.value
    }
}
