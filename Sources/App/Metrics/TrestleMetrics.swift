import Foundation
import Prometheus
import SQLKit

/// What `/metrics` shows, in Prometheus' text format (swift-prometheus). Counters and the
/// lateness histogram are counted as things happen, on this node; the deliveries by state and
/// the queue depth are read from the database at each scrape, so every node tells the same.
final class TrestleMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let lateness: ValueHistogram
    /// Kinds of job seen so far, so a kind whose queue emptied shows 0 rather than vanishing.
    private let knownKinds = KindSet([DeliveryService.publishJob, WebhookService.job])

    init() {
        lateness = registry.makeValueHistogram(
            name: "trestle_publish_lateness_seconds", buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400],
            help: "Seconds from a delivery's scheduled time to its publication"
        )
    }

    /// `delivery` was just published.
    func published(_ delivery: Delivery) {
        guard let publishedAt = delivery.publishedAt else { return }
        lateness.record(max(0, publishedAt.timeIntervalSince(delivery.scheduledAt)))
    }

    func jobsClaimed(_ kind: String, count: Int) {
        guard count > 0 else { return }
        knownKinds.insert(kind)
        registry.makeCounter(name: "trestle_job_claims_total", labels: [("kind", kind)], help: "Jobs claimed by this node's job runner")
            .increment(by: Int64(count))
    }

    /// A job did not finish: `retry` (it runs again later) or `failed` (given up).
    func jobFailed(_ kind: String, outcome: String) {
        registry.makeCounter(name: "trestle_job_failures_total", labels: [("kind", kind), ("outcome", outcome)],
                             help: "Jobs that did not finish, by whether they will be retried or were given up")
            .increment()
    }

    /// `count` new inbox items came from a channel on `network`.
    func inboxItems(_ count: Int, network: String) {
        guard count > 0 else { return }
        registry.makeCounter(name: "trestle_inbox_items_total", labels: [("network", network)], help: "Replies, mentions, quotes and messages kept in inboxes by this node")
            .increment(by: Int64(count))
    }

    /// `route` is the matched route's pattern (`/api/v1/workspaces/:ws/posts`), never the URL
    /// itself, so the number of series stays bounded whatever clients send.
    func request(method: String, route: String, status: Int) {
        registry.makeCounter(name: "trestle_http_requests_total", labels: [("method", method), ("route", route), ("status", String(status))],
                             help: "HTTP requests answered by this node")
            .increment()
    }

    /// Reads the gauges from the database, then the whole registry as text.
    func scrape(_ db: any SQLDatabase) async throws -> String {
        var byState = Dictionary(uniqueKeysWithValues: Delivery.State.allCases.map { ($0.rawValue, 0) })
        for row in try await db.raw("SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state").all() {
            byState[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        for (state, count) in byState {
            registry.makeGauge(name: "trestle_deliveries", labels: [("state", state)], help: "Deliveries in each state").set(to: Double(count))
        }
        var pending: [String: Int] = [:]
        for row in try await db.raw("SELECT kind, COUNT(*) AS n FROM jobs WHERE failed_at IS NULL GROUP BY kind").all() {
            let kind = try row.decode(column: "kind", as: String.self)
            pending[kind] = try row.decode(column: "n", as: Int.self)
            knownKinds.insert(kind)
        }
        for kind in knownKinds.all {
            registry.makeGauge(name: "trestle_jobs_pending", labels: [("kind", kind)], help: "Jobs waiting or running, by kind (the queue's depth)")
                .set(to: Double(pending[kind] ?? 0))
        }
        return registry.emitToString()
    }
}

/// A set of job kinds shared between tasks (NSLock, as `Wiring` does: `Mutex` needs macOS 15).
private final class KindSet: @unchecked Sendable {
    private let lock = NSLock()
    private var kinds: Set<String>

    init(_ initial: Set<String>) { kinds = initial }

    func insert(_ kind: String) { lock.withLock { _ = kinds.insert(kind) } }

    var all: [String] { lock.withLock { kinds.sorted() } }
}
