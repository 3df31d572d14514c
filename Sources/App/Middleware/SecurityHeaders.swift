import Vapor

/// Headers that keep pages from being framed, sniffed or leaking addresses to other sites.
struct SecurityHeaders: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        // A page that shows pictures from other sites (the inbox's avatars) sets its own policy.
        if !request.isAPI, !response.headers.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy(images: "'self' data:"))
        }
        return response
    }

    /// The pages' policy: everything from Trestle itself, pictures also from `images`.
    static func contentSecurityPolicy(images: String) -> String {
        "default-src 'self'; img-src \(images); frame-ancestors 'none'; form-action 'self'"
    }
}
