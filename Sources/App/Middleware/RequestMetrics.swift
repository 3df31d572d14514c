import Vapor

/// Counts every answer by method, route and status for `/metrics`. Outermost, so that errors
/// turned into pages and 404s for unknown paths are counted as what the client saw.
struct RequestMetrics: AsyncMiddleware {
    let metrics: TrestleMetrics

    private static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            let response = try await next.respond(to: request)
            record(request, status: response.status.code)
            return response
        } catch {
            record(request, status: (error as? any AbortError)?.status.code ?? 500)
            throw error
        }
    }

    private func record(_ request: Request, status: UInt) {
        // The route's pattern, not the URL: ids and typos must not each become a series.
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        let method = Self.methods.contains(request.method.rawValue) ? request.method.rawValue : "other"
        metrics.request(method: method, route: route, status: Int(status))
    }
}
