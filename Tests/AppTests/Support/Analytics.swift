@testable import App
import Foundation
import Testing
import Vapor

extension Application {
    /// Gives newly connected channels their metrics readers and runs every due refresh, here
    /// and now, as a worker would; returns how many refreshes ran.
    @discardableResult
    func refreshDueMetrics() async throws -> Int {
        try await wiring.postMetrics(on: db).startReaders()
        return try await runDueJobs(MetricsService.refreshJob) { [self] job in try await wiring.postMetrics(on: db).refresh(job: job) }
    }

    /// The metrics of the post's first delivery as the API shows them; nil before the first reading.
    func deliveryMetrics(of postID: String, _ member: Member) async throws -> [String: Any]? {
        try await deliveries(of: postID, member).first?["metrics"] as? [String: Any]
    }
}
