import Crypto
import Foundation
import Vapor

/// Refuses any state-changing web request whose `_csrf` form field (or `X-CSRF-Token` header)
/// does not match the session's token.
struct CSRFProtection: AsyncMiddleware {
    static let field = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if [.GET, .HEAD, .OPTIONS].contains(request.method) {
            return try await next.respond(to: request)
        }
        let expected = request.hasSession ? request.session.data[SessionKeys.csrf] : nil
        let sent = request.headers.first(name: "X-CSRF-Token") ?? (try? request.content.get(String.self, at: Self.field))
        guard let expected, let sent, Self.constantTimeEquals(expected, sent) else {
            throw AppError(status: .forbidden, code: "csrf_failed", message: "This form has expired or did not come from Trestle. Go back, reload the page and try again.")
        }
        return try await next.respond(to: request)
    }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
