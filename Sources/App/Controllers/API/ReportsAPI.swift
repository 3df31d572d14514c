import Foundation
import Vapor

/// A workspace's report over the JSON API.
enum ReportsAPI {
    /// `?from=&to=` as RFC 3339 instants; the last 30 days when left out.
    @Sendable static func report(_ req: Request) async throws -> ReportDTO {
        let period = try ReportPeriod.parse(from: req.query[String.self, at: "from"], to: req.query[String.self, at: "to"], now: req.wiring.clock.now())
        return ReportDTO(try await req.wiring.reports(on: req.db).report(for: req.requireWorkspace().workspace, over: period))
    }
}
