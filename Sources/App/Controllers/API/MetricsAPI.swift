import Crypto
import SQLKit
import Vapor

/// `GET /metrics`: Prometheus' text format. With `TRESTLE_METRICS_TOKEN` set, only a request
/// bearing that token is answered.
enum MetricsAPI {
    @Sendable static func scrape(_ req: Request) async throws -> Response {
        if let token = req.application.settings.metricsToken {
            let given = req.headers.bearerAuthorization?.token ?? ""
            // Compared as digests, so the time taken says nothing about how much matched.
            guard SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(token.utf8)) else {
                throw AppError(status: .unauthorized, code: "unauthorized", message: "Send the metrics token as `Authorization: Bearer <token>`.",
                               headers: ["WWW-Authenticate": "Bearer"])
            }
        }
        let text = try await req.wiring.metrics.scrape(req.db as! any SQLDatabase)
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
