@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

extension Application {
    /// Runs every feed poll that is due, here and now, as a worker would; returns how many ran.
    @discardableResult
    func pollDueFeeds() async throws -> Int {
        try await runDueJobs(FeedBridgeService.pollJob) { [self] job in try await wiring.feedBridge(on: db).poll(job: job) }
    }

    /// Subscribes through the API; returns the answer.
    func subscribe(_ member: Member, _ json: String) async throws -> TestingHTTPResponse {
        try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/feeds", as: member, json: json)
    }

    /// Adds a Site channel (no outside network needed); returns its id.
    func addSite(_ member: Member, name: String = "Corner Bakery") async throws -> String {
        let response = try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/channels", as: member,
                                     json: #"{"network": "site", "name": "\#(name)"}"#)
        return try #require(try response.json()["id"] as? String, "\(response.text)")
    }

    /// The workspace's posts as the API lists them, oldest first.
    func postTexts(_ member: Member) async throws -> [[String: Any]] {
        Array(try await api(.GET, "/api/v1/workspaces/\(member.workspaceID)/posts", as: member).jsonArray().reversed())
    }

    /// Ana, a member with a Site, following `feedURL` on it with the defaults; returns her and
    /// the subscription's API path.
    func followOnASite(_ feedURL: String) async throws -> (ana: Member, path: String) {
        let ana = try await makeMember("ana@example.com")
        let channel = try await addSite(ana)
        let id = try #require(try await subscribe(ana, #"{"url": "\#(feedURL)", "channels": ["\#(channel)"]}"#).json()["id"] as? String)
        return (ana, "/api/v1/workspaces/\(ana.workspaceID)/feeds/\(id)")
    }
}
