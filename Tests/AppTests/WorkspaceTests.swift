@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct WorkspaceTests {
    @Test(arguments: TestDatabase.all)
    func createRenameAndSwitchWorkspacesInTheWebUI(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com", workspace: "Bakery")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)

            try await browser.get("/workspaces/new")
            let empty = try await browser.post("/workspaces", ["name": "   "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Give the workspace a name."))

            let created = try await browser.post("/workspaces", ["name": "Bakery Events"])
            let eventsPath = try #require(created.location)
            let events = try await browser.get(eventsPath)
            #expect(events.text.contains("<h1>Bakery Events</h1>"))
            // The switcher lists both, the current one marked.
            #expect(events.text.contains(">Bakery</a>"))
            #expect(events.text.contains(#"aria-current="page">Bakery Events</a>"#))
            #expect(try await browser.get("/").location == eventsPath, "/ opens the workspace used last")

            try await browser.get("/workspaces/\(ana.workspaceID)")
            #expect(try await browser.get("/").location == "/workspaces/\(ana.workspaceID)")

            try await browser.get("/workspaces/\(ana.workspaceID)/settings")
            let renamed = try await browser.post("/workspaces/\(ana.workspaceID)/settings", ["name": "Corner Bakery"])
            #expect(renamed.status == .seeOther)
            #expect(try await Workspace.find(ana.workspace.id, on: app.db)?.name == "Corner Bakery")
            let tooLong = try await browser.post("/workspaces/\(ana.workspaceID)/settings", ["name": String(repeating: "x", count: 81)])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.text.contains("Use at most 80 characters."))
            #expect(try await Workspace.find(ana.workspace.id, on: app.db)?.name == "Corner Bakery")
        }
    }

    @Test(arguments: TestDatabase.all)
    func anInvitationLinkLetsOnePersonJoinOnce(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com", workspace: "Bakery")
            let owner = Browser(app)
            try await owner.logIn("ana@example.com", ana.password)
            try await owner.get("/workspaces/\(ana.workspaceID)/settings")
            let page = try await owner.post("/workspaces/\(ana.workspaceID)/invitations")
            #expect(page.status == .created)
            let link = try #require(page.text.firstMatch(of: /value="(http[^"]+\/invitations\/(inv_[A-Za-z0-9_-]+))"/))
            let path = "/invitations/\(link.2)"
            #expect(try await Invitation.query(on: app.db).first()?.tokenHash == SecretToken.hash(String(link.2)), "only the hash is stored")

            // Ben has no account: the link leads to sign-up, and signing up joins.
            let ben = Browser(app)
            let invitation = try await ben.get(path)
            #expect(invitation.status == .ok)
            #expect(invitation.text.contains("Join Bakery"))
            try await ben.get("/signup?invitation=\(link.2)")
            let joined = try await ben.post("/signup", ["email": "ben@example.com", "password": "rye bread 42", "invitation": String(link.2)])
            #expect(joined.location == "/workspaces/\(ana.workspaceID)")
            let dashboard = try await ben.get("/workspaces/\(ana.workspaceID)")
            #expect(dashboard.text.contains("ana@example.com"))
            #expect(dashboard.text.contains("ben@example.com"))
            #expect(try await Workspace.query(on: app.db).count() == 1, "joining creates no workspace")

            // The link is used up.
            _ = try await app.makeMember("cleo@example.com")
            let cleo = Browser(app)
            try await cleo.logIn("cleo@example.com", "correct horse 1")
            let used = try await cleo.get(path)
            #expect(used.status == .gone)
            #expect(used.text.contains("This link cannot be used"))
            #expect(used.text.contains("already been used"))
            #expect(try await cleo.post(path + "/accept").status == .gone)
            #expect(try await Membership.query(on: app.db).filter(\.$workspace.$id == ana.workspace.requireID()).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExpiredInvitationCannotBeUsed(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let (invitation, token) = try await InvitationService(db: app.db).create(for: ana.workspace, by: ana.user)
            invitation.expiresAt = Date().addingTimeInterval(-1)
            try await invitation.save(on: app.db)
            let ben = try await app.makeMember("ben@example.com")
            let response = try await app.api(.POST, "/api/v1/invitations/\(token)/accept", as: ben)
            #expect(response.status == .gone)
            #expect(try response.apiError().message.contains("expired"))
            #expect(try await Membership.query(on: app.db).filter(\.$workspace.$id == ana.workspace.requireID()).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMemberRemovedOnAnyNodeIsRefusedOnTheirNextRequest(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            // setup
            let ana = try await app.makeMember("ana@example.com", workspace: "Bakery")
            let ben = try await app.makeMember("ben@example.com", workspace: "Ben's")
            let (_, token) = try await InvitationService(db: app.db).create(for: ana.workspace, by: ana.user)
            #expect(try await app.api(.POST, "/api/v1/invitations/\(token)/accept", as: ben).status == .ok)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)", as: ben).status == .ok)
            let before = try await app.api(.GET, "/api/v1/me", as: ben).json()["workspaces"] as? [[String: Any]]
            #expect(before?.compactMap { $0["name"] as? String } == ["Ben's", "Bakery"])
            #expect(before?.compactMap { $0["role"] as? String } == ["owner", "member"])

            // MUT: the row goes as it would when the owner removes Ben on another node.
            try await Membership.query(on: app.db)
                .filter(\.$workspace.$id == ana.workspace.requireID())
                .filter(\.$user.$id == ben.user.requireID())
                .delete()

            // validate: the workspace is gone for Ben at once, exactly like one that never existed.
            let refused = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)", as: ben)
            #expect(refused.status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/members", as: ben).status == .notFound)
            let after = try await app.api(.GET, "/api/v1/me", as: ben).json()["workspaces"] as? [[String: Any]]
            #expect(after?.compactMap { $0["name"] as? String } == ["Ben's"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func theOwnerRemovesMembersAndPeersCannot(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.makeMember("ben@example.com")
            let cleo = try await app.makeMember("cleo@example.com")
            for person in [ben, cleo] {
                let (_, token) = try await InvitationService(db: app.db).create(for: ana.workspace, by: ana.user)
                #expect(try await app.api(.POST, "/api/v1/invitations/\(token)/accept", as: person).status == .ok)
            }
            let members = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/members", as: ben)
            #expect(try members.jsonArray().compactMap { $0["email"] as? String }.sorted() == ["ana@example.com", "ben@example.com", "cleo@example.com"])

            let peer = try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/members/\(cleo.user.requireID())", as: ben)
            #expect(peer.status == .forbidden)
            let ownerCannotGo = try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/members/\(ana.user.requireID())", as: ben)
            #expect(ownerCannotGo.status == .forbidden)

            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let settings = try await browser.get("/workspaces/\(ana.workspaceID)/settings")
            #expect(settings.text.contains("Remove ben@example.com"))
            let removed = try await browser.post("/workspaces/\(ana.workspaceID)/members/\(cleo.user.requireID())/remove")
            #expect(removed.status == .seeOther)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)", as: cleo).status == .notFound)

            // Ben leaves on his own.
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/members/\(ben.user.requireID())", as: ben).status == .noContent)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)", as: ben).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingAWorkspaceNeedsTheOwnerAndItsNameTyped(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com", workspace: "Bakery")
            let ben = try await app.makeMember("ben@example.com")
            let (_, token) = try await InvitationService(db: app.db).create(for: ana.workspace, by: ana.user)
            _ = try await app.api(.POST, "/api/v1/invitations/\(token)/accept", as: ben)
            _ = try await InvitationService(db: app.db).create(for: ana.workspace, by: ana.user)
            let media = try await MediaService(db: app.db).upload(TestMedia.png(width: 10, height: 10), filename: "a.png", altText: "", to: ana.workspace, by: ana.user)
            try await app.wiring.posts(on: app.db).create(.init(text: "Draft", thread: [], media: [media.requireID()]), in: ana.workspace, by: ana.user)

            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)?confirm=Bakery", as: ben).status == .forbidden)

            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            try await browser.get("/workspaces/\(ana.workspaceID)/delete")
            let wrong = try await browser.post("/workspaces/\(ana.workspaceID)/delete", ["confirm": "bakery?"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.text.contains("Type the workspace"))
            #expect(try await Workspace.find(ana.workspace.id, on: app.db) != nil)

            let done = try await browser.post("/workspaces/\(ana.workspaceID)/delete", ["confirm": "Bakery"])
            #expect(done.status == .seeOther)
            #expect(try await Workspace.find(ana.workspace.id, on: app.db) == nil)
            #expect(try await Membership.query(on: app.db).filter(\.$workspace.$id == ana.workspace.requireID()).count() == 0)
            #expect(try await Invitation.query(on: app.db).count() == 0)
            #expect(try await Post.query(on: app.db).count() == 0)
            #expect(try await MediaItem.query(on: app.db).count() == 0)
            #expect(try await MediaContent.query(on: app.db).count() == 0)
            #expect(try await User.query(on: app.db).count() == 2, "the people stay")
        }
    }

    @Test(arguments: TestDatabase.all)
    func workspacesThroughTheAPI(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com", workspace: "Bakery")
            let created = try await app.api(.POST, "/api/v1/workspaces", as: ana, json: #"{"name": "Events"}"#)
            #expect(created.status == .created)
            let id = try #require(try created.json()["id"] as? String)
            #expect(try created.json()["role"] as? String == "owner")

            let renamed = try await app.api(.PATCH, "/api/v1/workspaces/\(id)", as: ana, json: #"{"name": "Catering"}"#)
            #expect(try renamed.json()["name"] as? String == "Catering")

            let me = try await app.api(.GET, "/api/v1/me", as: ana)
            #expect(me.status == .ok)
            let body = try me.json()
            #expect((body["user"] as? [String: Any])?["email"] as? String == "ana@example.com")
            #expect((body["workspaces"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Bakery", "Catering"])

            let invitation = try await app.api(.POST, "/api/v1/workspaces/\(id)/invitations", as: ana)
            #expect(invitation.status == .created)
            #expect((try invitation.json()["url"] as? String)?.contains("/invitations/inv_") == true)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(id)/invitations", as: ana).jsonArray().count == 1)

            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(id)", as: ana).status == .unprocessableEntity)
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(id)?confirm=Catering", as: ana).status == .noContent)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(id)", as: ana).status == .notFound)
        }
    }
}
