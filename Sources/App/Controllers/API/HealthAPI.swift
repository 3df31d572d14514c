import Fluent
import SQLKit
import Vapor

/// `GET /healthz`: 200 while the database answers ("degraded" when no worker has beaten
/// recently), 503 when the database does not.
enum HealthAPI {
    @Sendable static func health(_ req: Request) async throws -> Response {
        var databaseOK = true
        var lastBeat: Date?
        do {
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1").all()
            lastBeat = try await WorkerHeartbeatService(db: req.db).lastBeat()
        } catch {
            req.logger.error("Health check: database did not answer: \(String(reflecting: error))")
            databaseOK = false
        }
        let workerAlive = lastBeat.map { Date().timeIntervalSince($0) < WorkerHeartbeatService.staleAfter } ?? false
        let body = HealthResponse(
            status: databaseOK && workerAlive ? "ok" : "degraded",
            database: databaseOK ? "ok" : "unavailable",
            worker: .init(lastHeartbeat: lastBeat)
        )
        let response = try await body.encodeResponse(status: databaseOK ? .ok : .serviceUnavailable, for: req)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
