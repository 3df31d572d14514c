@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// A workspace's data out of one Trestle and into another: posts with their times and
/// deliveries, media with their bytes, ideas, comments, activity, saved replies and short links
/// arrive; channels arrive without their secrets, to be connected again; people are matched by
/// email; and exporting the imported workspace gives back the same rows.
@Suite struct WorkspaceArchiveTests {
    @Test(arguments: TestDatabase.all)
    func aWorkspaceMovesToAnotherTrestleAndBack(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            var archive = ""
            var source: [String: Any] = [:]
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com", workspace: "Corner Bakery")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                let channel = try await app.connectMastodon(ana, mastodon)
                let image = try await app.upload(TestMedia.png(width: 640, height: 480, size: 300), named: "rolls.png", alt: "Rolls", as: ana).json()
                _ = try await app.createPost(ana, #"{"text": "Published rolls", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                _ = try await app.publishDueDeliveries()
                let later = try await app.createPost(ben, #"{"text": "Saturday market", "channels": ["\#(channel)"], "schedule": {"at": "2030-06-01T08:00:00Z"}}"#)
                let imageID = try #require(image["id"] as? String)
                let draft = try await app.createPost(ana, #"{"text": "A draft with a picture", "media": ["\#(imageID)"]}"#)
                let idea = try await app.api(.POST, "\(ws)/ideas", as: ben, json: #"{"title": "Baker's dozen day"}"#).json()
                let ideaID = try #require(idea["id"] as? String)
                _ = try await app.api(.POST, "\(ws)/ideas/\(ideaID)/vote", as: ana)
                let commentedID = try #require(draft["id"] as? String)
                _ = try await app.api(.POST, "\(ws)/posts/\(commentedID)/comments", as: ben, json: #"{"text": "@ana lovely"}"#)
                _ = try await app.api(.POST, "\(ws)/saved-replies", as: ana, json: #"{"title": "Hours", "text": "8 to 6"}"#)
                let link = try await app.api(.POST, "\(ws)/links", as: ana, json: #"{"url": "https://bakery.example/menu"}"#).json()

                #expect(try await app.api(.GET, "\(ws)/exports/workspace.jsonl", as: ben).status == .forbidden, "the owner's to take")
                let exported = try await app.api(.GET, "\(ws)/exports/workspace.jsonl", as: ana)
                #expect(exported.status == .ok)
                archive = exported.text
                #expect(!archive.contains("good-token"), "no channel's secret leaves")
                let draftID = try #require(draft["id"] as? String)
                let created = try await Post.find(UUID(uuidString: draftID), on: app.db)?.createdAt
                let code = (link["shortURL"] as? String)?.split(separator: "/").last.map(String.init)
                source = [
                    "workspace": ana.workspaceID, "later": try #require(later["id"] as? String), "draft": draftID,
                    "image": try #require(image["id"] as? String), "code": try #require(code), "created": try #require(created),
                    "activity": try await Activity.query(on: app.db).count(), "rows": Self.rowIDs(archive),
                ]
            }

            // Later than the source's rows were made, so a time kept is told from a time stamped anew.
            try await Task.sleep(for: .milliseconds(100))
            try await withTrestle(database) { app in
                let ana = try await app.makeMember("ana@example.com", workspace: "Ana's own")
                await #expect(throws: ServiceError.self) {
                    _ = try await WorkspaceArchive(db: app.db, wiring: app.wiring).importing("{\"type\": \"post\"}\n", owner: ana.user)
                }
                let workspace = try await WorkspaceArchive(db: app.db, wiring: app.wiring).importing(archive, owner: ana.user)
                let ws = "/api/v1/workspaces/\(try workspace.requireID().uuidString)"
                #expect(try workspace.requireID().uuidString == source["workspace"] as? String)
                #expect(try await app.api(.GET, ws, as: ana).json()["name"] as? String == "Corner Bakery")

                let posts = try await app.api(.GET, "\(ws)/posts", as: ana).jsonArray()
                #expect(Set(posts.compactMap { $0["text"] as? String }) == ["Published rolls", "Saturday market", "A draft with a picture"])
                let kept = try #require(try await Post.find(UUID(uuidString: source["draft"] as! String), on: app.db))
                #expect(abs(try #require(kept.createdAt).timeIntervalSince(source["created"] as! Date)) < 0.01, "a post keeps when it was made")
                let content = try await app.api(.GET, "\(ws)/media/\(source["image"] as! String)/content", as: ana)
                #expect(content.body.readableBytes == 300, "the picture's bytes came along")

                let channel = try #require(try await App.Channel.query(on: app.db).first())
                #expect(channel.status == .needsReconnect, "connected again before it posts")
                let waiting = try #require(try await Delivery.query(on: app.db).filter(\.$post.$id == UUID(uuidString: source["later"] as! String)!).first())
                #expect(waiting.state == .scheduled)
                let jobs = try await (app.db as! any SQLDatabase).raw("SELECT run_at FROM jobs WHERE kind = 'publish'").all()
                #expect(try jobs.map { try $0.decode(column: "run_at", as: Date.self) } == [waiting.scheduledAt], "it goes at its time")
                #expect(try await Delivery.query(on: app.db).filter(\.$state == .published).count() == 1)

                let ideas = try await app.api(.GET, "\(ws)/ideas", as: ana).jsonArray()
                #expect(ideas.first?["votes"] as? Int == 1, "ana is here: her vote came along")
                #expect(ideas.first?["author"] is NSNull, "ben is not: his idea is nobody's")
                #expect(try await Comment.query(on: app.db).first()?.$author.id == nil)
                #expect(try await Activity.query(on: app.db).count() == source["activity"] as? Int)
                #expect(try await app.api(.GET, "\(ws)/saved-replies", as: ana).jsonArray().count == 1)
                #expect(try await app.api(.GET, "/l/\(source["code"] as! String)").status == .found, "its short links still lead to the shop")
                #expect(try await Membership.query(on: app.db).filter(\.$workspace.$id == workspace.requireID()).count() == 1)

                // Round trip: the imported workspace exports the same rows.
                let again = try await app.api(.GET, "\(ws)/exports/workspace.jsonl", as: ana).text
                #expect(Self.rowIDs(again) == source["rows"] as? Set<String>)
                let twice = try await app.makeMember("cat@example.com")
                await #expect(throws: ServiceError.self, "one Trestle holds a workspace once") {
                    _ = try await WorkspaceArchive(db: app.db, wiring: app.wiring).importing(archive, owner: twice.user)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEditedArchiveCannotReachIntoAnotherWorkspace(_ database: TestDatabase) async throws {
        var archive = ""
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            _ = try await app.createPost(ana, #"{"text": "Ours"}"#)
            archive = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/exports/workspace.jsonl", as: ana).text
        }
        try await withTrestle(database) { app in
            let owner = try await app.makeMember("ana@example.com")
            let eve = try await app.makeMember("eve@example.com", workspace: "Eve's")
            _ = try await app.createPost(eve, #"{"text": "Eve's own"}"#)
            let evesIdea = try #require(try await app.api(.POST, "/api/v1/workspaces/\(eve.workspaceID)/ideas", as: eve, json: #"{"title": "Eve's"}"#).json()["id"] as? String)
            let sourceWorkspace = try #require(archive.split(separator: "\n").first.flatMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["row"] as? [String: Any]
            }?["workspace"] as? String)

            // A row that names Eve's workspace is put into the imported one instead.
            let renamed = archive.replacingOccurrences(of: #""workspace":{"id":"\#(sourceWorkspace)"}"#, with: #""workspace":{"id":"\#(eve.workspaceID)"}"#)
            #expect(renamed != archive)
            // A vote for Eve's idea, carried in by the archive, refuses the whole file; so does a
            // row that cannot be read.
            let voting = archive + #"{"row":{"id":"\#(UUID().uuidString)","idea":{"id":"\#(evesIdea)"},"user":{"id":"\#(try owner.user.requireID())"}},"type":"idea_vote"}"# + "\n"
            let garbled = archive + #"{"row":{"id":"\#(UUID().uuidString)","text":7},"type":"post"}"# + "\n"
            for hostile in [voting, garbled] {
                do {
                    _ = try await WorkspaceArchive(db: app.db, wiring: app.wiring).importing(hostile, owner: owner.user)
                    Issue.record("an archive that reaches outside itself was imported")
                } catch let error as ServiceError {
                    #expect(error.fields["file"]?.hasPrefix("Line ") == true, "\(error.fields)")
                }
            }
            #expect(try await IdeaVote.query(on: app.db).count() == 0)
            #expect(try await Workspace.find(UUID(uuidString: sourceWorkspace), on: app.db) == nil, "nothing of it was made")

            let workspace = try await WorkspaceArchive(db: app.db, wiring: app.wiring).importing(renamed, owner: owner.user)
            #expect(try await Post.query(on: app.db).filter(\.$workspace.$id == eve.workspace.requireID()).all().map(\.text) == ["Eve's own"])
            #expect(try await Post.query(on: app.db).filter(\.$workspace.$id == workspace.requireID()).all().map(\.text) == ["Ours"])
        }
    }

    /// Each row's type and id (or the type alone), to compare two archives.
    static func rowIDs(_ archive: String) -> Set<String> {
        Set(archive.split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let type = object["type"] as? String else { return nil }
            if type == "person" { return "person" }
            return "\(type):" + ((object["row"] as? [String: Any])?["id"] as? String ?? "")
        })
    }
}
