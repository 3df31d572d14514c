@testable import App
import Foundation
import Testing
import Vapor

/// `/metrics`: Prometheus text with the deliveries by state, the queue's depth, how late posts
/// went out, the job runner's claims and failures and the HTTP answers by route.
@Suite struct MetricsTests {
    @Test(arguments: TestDatabase.all)
    func metricsShowDeliveriesQueueLatenessJobsAndRequests(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeWebhookReceiver.with(failingFirst: 1) { receiver in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let clock = ManualClock(Date())
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    _ = try await app.addWebhook(ana, url: receiver.url)
                    let channel = try await app.connectMastodon(ana, mastodon)
                    let post = try await app.createPost(ana, #"{"text": "Cinnamon rolls", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                    let postID = try #require(post["id"] as? String)
                    _ = try await app.createPost(ana, #"{"text": "Tomorrow: rye", "channels": ["\#(channel)"], "schedule": {"at": "2099-01-01T09:00:00Z"}}"#)
                    clock.advance(by: 42)
                    try await app.publishDueDeliveries()
                    try await app.sendDueWebhooks()
                    _ = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(postID)", as: ana)
                    _ = try await app.api(.GET, "/no/such/page/\(UUID().uuidString)")

                    let response = try await app.api(.GET, "/metrics")
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType?.description.hasPrefix("text/plain") == true)
                    let text = response.text
                    for line in [
                        #"trestle_deliveries{state="published"} 1.0"#,
                        #"trestle_deliveries{state="scheduled"} 1.0"#,
                        #"trestle_deliveries{state="failed"} 0.0"#,
                        #"trestle_jobs_pending{kind="publish"} 1.0"#,
                        #"trestle_jobs_pending{kind="webhook"} 1.0"#,
                        #"trestle_publish_lateness_seconds_count 1"#,
                        #"trestle_publish_lateness_seconds_bucket{le="30.0"} 0"#,
                        #"trestle_publish_lateness_seconds_bucket{le="60.0"} 1"#,
                        #"trestle_job_claims_total{kind="publish"} 1"#,
                        #"trestle_job_claims_total{kind="webhook"} 1"#,
                        #"trestle_job_failures_total{kind="webhook",outcome="retry"} 1"#,
                        #"trestle_http_requests_total{method="POST",route="/api/v1/workspaces/:ws/posts",status="201"} 2"#,
                        #"trestle_http_requests_total{method="GET",route="/api/v1/workspaces/:ws/posts/:post",status="200"} 1"#,
                        #"trestle_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
                    ] {
                        #expect(text.contains(line + "\n"), "missing \(line) in\n\(text)")
                    }
                    #expect(text.contains("# TYPE trestle_publish_lateness_seconds histogram"))
                    #expect(!text.contains(postID) && !text.contains(ana.workspaceID), "routes by pattern, never ids")
                }
            }
        }
    }

    @Test func metricsWantTheBearerTokenWhenOneIsSet() async throws {
        try await withTrestle(.sqlite) { app in
            app.settings.metricsToken = "scrape-me-7f3a"
            let none = try await app.api(.GET, "/metrics")
            #expect(none.status == .unauthorized)
            #expect(none.headers.first(name: "WWW-Authenticate") == "Bearer")
            #expect(!none.text.contains("trestle_"))
            #expect(try await app.api(.GET, "/metrics", headers: ["Authorization": "Bearer scrape-me-7f3"]).status == .unauthorized)
            let ana = try await app.makeMember("ana@example.com")
            #expect(try await app.api(.GET, "/metrics", as: ana).status == .unauthorized, "an API token is not the metrics token")
            let good = try await app.api(.GET, "/metrics", headers: ["Authorization": "Bearer scrape-me-7f3a"])
            #expect(good.status == .ok)
            #expect(good.text.contains("trestle_deliveries{"))
        }
    }
}
