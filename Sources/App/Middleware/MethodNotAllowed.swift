// TrieRouter predates Sendable; it is only read after init, as Vapor's own responder reads it.
@preconcurrency import RoutingKit
import Vapor

/// A path Trestle serves, asked with a method it does not serve there: 405 with the `Allow`
/// header listing the methods it does, instead of the router's 404. Read from the route table
/// itself, so it stays right for every route, page or API.
struct MethodNotAllowed: AsyncMiddleware {
    private let router: TrieRouter<Bool>
    private let methods: [HTTPMethod]

    /// `routes` must be complete: the table is read once.
    init(routes: Routes) {
        let router = TrieRouter(Bool.self)
        var methods: [HTTPMethod] = []
        for route in routes.all {
            // The same key the router itself uses: the method, then the path without empty parts.
            let path = route.path.filter { if case let .constant(part) = $0 { return !part.isEmpty } else { return true } }
            router.register(true, at: [.constant(route.method.rawValue)] + path)
            if !methods.contains(route.method) { methods.append(route.method) }
        }
        self.router = router
        let order: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE]
        self.methods = methods.sorted { (order.firstIndex(of: $0) ?? order.count) < (order.firstIndex(of: $1) ?? order.count) }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let notFound as RouteNotFound {
            let allowed = allowedMethods(for: request.url.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw notFound }
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            throw AppError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed here; use \(list).", headers: ["Allow": list]
            )
        }
    }

    /// The methods routed at `path`; HEAD wherever GET is, as the router answers HEAD with GET.
    func allowedMethods(for path: String) -> [HTTPMethod] {
        let components = path.split(separator: "/").map(String.init)
        var allowed = methods.filter { method in
            var parameters = Parameters()
            return router.route(path: [method.rawValue] + components, parameters: &parameters) != nil
        }
        if allowed.contains(.GET), !allowed.contains(.HEAD) { allowed.insert(.HEAD, at: allowed.firstIndex(of: .GET)! + 1) }
        return allowed
    }
}
