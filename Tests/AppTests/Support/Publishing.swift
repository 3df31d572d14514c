@testable import App
import Foundation
import Synchronization
import Testing
import Vapor
import VaporTesting

extension Application {
    /// Runs every publish job that is due, here and now, as a worker would; returns how many ran.
    @discardableResult
    func publishDueDeliveries() async throws -> Int {
        try await runDueJobs(DeliveryService.publishJob) { [self] job in try await wiring.deliveries(on: db).publish(job: job) }
    }

    /// Runs every due job of `kind` with `handler`, here and now, one after another, as a
    /// worker would; returns how many ran.
    /// A handler that keeps queueing itself as already due would loop for ever: after
    /// `mostJobs` the jobs fail the test instead, each with what it was asked.
    func runDueJobs(_ kind: String, mostJobs: Int = 500,
                    _ handler: @escaping @Sendable (JobQueue.Claimed) async throws -> JobOutcome) async throws -> Int {
        let ran = Mutex(0)
        let bounded: @Sendable (JobQueue.Claimed) async throws -> JobOutcome = { job in
            let count = ran.withLock { $0 += 1; return $0 }
            guard count <= mostJobs else {
                Issue.record("More than \(mostJobs) \(kind) jobs ran in one go, the last with \(job.payload): one queues itself as due again.")
                return .failed("runaway")
            }
            return try await handler(job)
        }
        let runner = JobRunner(queue: wiring.jobs(on: db), node: "test", kinds: [JobKind(name: kind, concurrency: 1, handler: bounded)])
        return try await runner.drain(kind)
    }

    /// Connects the fake instance's account to the member's workspace; returns the channel id.
    func connectMastodon(_ member: Member, _ fake: FakeMastodon) async throws -> String {
        let response = try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member,
                                     json: #"{"network": "mastodon", "instanceURL": "\#(fake.url)", "accessToken": "good-token", "timezone": "America/New_York"}"#)
        return try #require(try response.json()["id"] as? String, "\(response.text)")
    }

    /// Connects the fake service's bakery account; returns the channel id.
    func connectBluesky(_ member: Member, _ fake: FakeBluesky) async throws -> String {
        let response = try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member,
                                     json: #"{"network": "bluesky", "service": "\#(fake.url)", "identifier": "bakery.bsky.social", "appPassword": "abcd-efgh-ijkl-mnop"}"#)
        return try #require(try response.json()["id"] as? String, "\(response.text)")
    }

    /// Creates a post through the API and returns its JSON.
    func createPost(_ member: Member, _ json: String) async throws -> [String: Any] {
        let response = try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/posts", as: member, json: json)
        #expect(response.status == .created, "\(response.text)")
        return try response.json()
    }

    /// The post's deliveries as the API shows them.
    func deliveries(of postID: String, _ member: Member) async throws -> [[String: Any]] {
        let post = try await api(.GET, "/api/v1/workspaces/\(member.workspaceID)/posts/\(postID)", as: member).json()
        return try #require(post["deliveries"] as? [[String: Any]])
    }
}
