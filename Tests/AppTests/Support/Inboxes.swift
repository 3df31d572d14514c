@testable import App
import Foundation
import Testing
import Vapor

extension Application {
    /// Gives newly connected channels their inbox readers and runs every due inbox poll, here
    /// and now, as a worker would; returns how many polls ran.
    @discardableResult
    func pollDueInboxes() async throws -> Int {
        try await wiring.inbox(on: db).startReaders()
        return try await runDueJobs(InboxService.pollJob) { [self] job in try await wiring.inbox(on: db).poll(job: job) }
    }

    /// The workspace's inbox as the API shows it.
    func inbox(_ member: Member, query: String = "") async throws -> [[String: Any]] {
        let response = try await api(.GET, "/api/v1/workspaces/\(member.workspaceID)/inbox\(query)", as: member)
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try response.json()["items"] as? [[String: Any]])
    }
}
