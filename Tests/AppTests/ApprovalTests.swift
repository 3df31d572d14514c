@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Peer approval: a workspace that asks for N approvals schedules nothing before N members other
/// than the author approved what the post says now; an edit asks again, and an approved post
/// keeps its time; the rule holds however approvals and edits race.
@Suite struct ApprovalTests {
    @Test(arguments: TestDatabase.all)
    func aPostIsScheduledOnlyOnceEnoughPeersApprovedIt(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                let cat = try await app.joinAnasWorkspace(ana, as: "cat@example.com")
                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                #expect(try await app.api(.PATCH, ws, as: ben, json: #"{"approvalsRequired": 2}"#).status == .forbidden, "the owner sets the rule")
                let rule = try await app.api(.PATCH, ws, as: ana, json: #"{"approvalsRequired": 2}"#)
                #expect(try rule.json()["approvalsRequired"] as? Int == 2)
                let channel = try await app.connectMastodon(ana, mastodon)

                let refused = try await app.api(.POST, "\(ws)/posts", as: ana, json: #"{"text": "Stollen season", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.apiError().code == "approval_required")
                #expect(try await Post.query(on: app.db).count() == 0, "nothing was made")

                let draft = try await app.createPost(ana, #"{"text": "Stollen season", "channels": ["\#(channel)"]}"#)
                let post = "\(ws)/posts/\(try #require(draft["id"] as? String))"
                let own = try await app.api(.POST, "\(post)/approvals", as: ana)
                #expect(own.status == .forbidden, "nobody approves their own post")
                let first = try await app.api(.POST, "\(post)/approvals", as: ben).json()
                let approvals = try #require(first["approvals"] as? [String: Any])
                #expect(approvals["approvedBy"] as? [String] == ["ben@example.com"])
                #expect(approvals["approved"] as? Bool == false)
                #expect(try await app.api(.PATCH, post, as: ana, json: #"{"schedule": {"now": true}}"#).status == .unprocessableEntity)

                #expect(try await app.api(.POST, "\(post)/approvals", as: cat, json: #"{"version": 1}"#).status == .ok)
                let scheduled = try await app.api(.PATCH, post, as: ana, json: #"{"schedule": {"now": true}}"#)
                #expect(scheduled.status == .ok, "\(scheduled.text)")
                try await app.publishDueDeliveries()
                #expect(try await Delivery.query(on: app.db).first()?.state == .published)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEditAfterApprovalAsksAgainAndThePostKeepsItsTime(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                _ = try await app.api(.PATCH, ws, as: ana, json: #"{"approvalsRequired": 1}"#)
                let channel = try await app.connectMastodon(ana, mastodon)
                let draft = try await app.createPost(ana, #"{"text": "Rye on Friday", "channels": ["\#(channel)"]}"#)
                let post = "\(ws)/posts/\(try #require(draft["id"] as? String))"
                _ = try await app.api(.POST, "\(post)/approvals", as: ben)
                let at = Date().addingTimeInterval(2)
                let stamp = ISO8601DateFormatter().string(from: at)
                #expect(try await app.api(.PATCH, post, as: ana, json: #"{"schedule": {"at": "\#(stamp)"}}"#).status == .ok)

                // Edited once scheduled: a new version, not approved; the time stays.
                let edited = try await app.api(.PATCH, post, as: ana, json: #"{"text": "Rye on Saturday"}"#).json()
                #expect(edited["version"] as? Int == 2)
                #expect((edited["approvals"] as? [String: Any])?["approved"] as? Bool == false)
                try await Task.sleep(for: .seconds(3))
                try await app.publishDueDeliveries()
                let held = try #require(try await Delivery.query(on: app.db).first())
                #expect(held.state == .scheduled, "it waits for the new version's approval")
                #expect(abs(held.scheduledAt.timeIntervalSince(at)) < 1, "and keeps its time")
                #expect(mastodon.controls.statuses.withLock { $0.isEmpty })

                let stale = try await app.api(.POST, "\(post)/approvals", as: ben, json: #"{"version": 1}"#)
                #expect(stale.status == .conflict)
                #expect(try stale.apiError().code == "version_changed")
                #expect(try await app.api(.POST, "\(post)/approvals", as: ben, json: #"{"version": 2}"#).status == .ok)
                try await app.publishDueDeliveries()
                #expect(try await Delivery.query(on: app.db).first()?.state == .published)
                #expect(mastodon.controls.statuses.withLock { $0.map(\.text) } == ["Rye on Saturday"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func approvalsAndEditsThatRaceCountRight(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                let cat = try await app.joinAnasWorkspace(ana, as: "cat@example.com")
                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                _ = try await app.api(.PATCH, ws, as: ana, json: #"{"approvalsRequired": 2}"#)
                let channel = try await app.connectMastodon(ana, mastodon)
                let draft = try await app.createPost(ana, #"{"text": "Bagels", "channels": ["\#(channel)"]}"#)
                let post = "\(ws)/posts/\(try #require(draft["id"] as? String))"

                // Two approvers at once, and one of them twice at once.
                async let first = app.api(.POST, "\(post)/approvals", as: ben)
                async let second = app.api(.POST, "\(post)/approvals", as: cat)
                async let again = app.api(.POST, "\(post)/approvals", as: ben)
                let answers = try await [first, second, again]
                #expect(answers.allSatisfy { $0.status == .ok }, "\(answers.map(\.status))")
                #expect(try await PostApproval.query(on: app.db).count() == 2)
                let shown = try await app.api(.GET, post, as: ana).json()
                #expect(Set((shown["approvals"] as? [String: Any])?["approvedBy"] as? [String] ?? []) == ["ben@example.com", "cat@example.com"])

                // An edit between the approvals and the schedule: the schedule is refused.
                let both = try await app.api(.PATCH, post, as: ana, json: #"{"text": "Bagels, warm", "schedule": {"now": true}}"#)
                #expect(both.status == .unprocessableEntity)
                #expect(try both.apiError().code == "approval_required")
                #expect(try await Delivery.query(on: app.db).count() == 0)
                #expect(try await Post.query(on: app.db).first()?.text == "Bagels", "nothing changed")
            }
        }
    }
}

extension ApprovalTests {
    @Test(arguments: TestDatabase.all)
    func thePagesSetTheRuleShowWhereAPostStandsAndApproveIt(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let owner = Browser(app)
                try await owner.logIn("ana@example.com", ana.password)
                let settings = "/workspaces/\(ana.workspaceID)/settings"
                #expect(try await owner.post(settings + "/approvals", ["approvalsRequired": "11"]).status == .unprocessableEntity)
                #expect(try await owner.post(settings + "/approvals", ["approvalsRequired": "1"]).status == .seeOther)

                // The composer's schedule is refused inline; the draft waits for a peer.
                let refused = try await owner.post("/workspaces/\(ana.workspaceID)/posts", ["parts[]": "Pretzels", "channels[]": channel, "when": "now"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("1 more approval"))
                let draft = try await app.createPost(ana, #"{"text": "Pretzels", "channels": ["\#(channel)"]}"#)
                let page = "/workspaces/\(ana.workspaceID)/posts/\(try #require(draft["id"] as? String))"
                let authorView = try await owner.get(page).body.string
                #expect(authorView.contains("Needs 1 more approval of version 1"))
                #expect(!authorView.contains("Approve this version"), "nobody approves their own post")

                let peer = Browser(app)
                try await peer.logIn("ben@example.com", ben.password)
                #expect(try await peer.get(page).body.string.contains("Approve this version"))
                #expect(try await peer.post(page + "/approve", ["version": "1"]).status == .seeOther)
                let approved = try await peer.get(page).body.string
                #expect(approved.contains("Approved (version 1)."))
                #expect(approved.contains("Approved by ben@example.com"))
                #expect(try await app.api(.PATCH, "/api/v1\(page.replacingOccurrences(of: "/workspaces/", with: "/workspaces/"))", as: ana, json: #"{"schedule": {"now": true}}"#).status == .ok)
            }
        }
    }
}
