@testable import App
import Fluent
import Foundation
import Networks
import RoutingKit
import Testing
import Vapor
import VaporTesting

/// Walks the route table itself, so a route added later is checked without anyone adding it here.
@Suite struct TenancyTests {
    /// Real ids of the victim's objects for each path parameter, so a route is tried on things that exist.
    private func victimParameters(_ app: Application, _ victim: Member) async throws -> [String: String] {
        let (invitation, _) = try await InvitationService(db: app.db).create(for: victim.workspace, by: victim.user)
        let post = try await app.wiring.posts(on: app.db).create(.init(text: "Victim's draft", thread: []), in: victim.workspace, by: victim.user)
        let media = try await MediaService(db: app.db).upload(TestMedia.png(width: 10, height: 10), filename: "v.png", altText: "", to: victim.workspace, by: victim.user)
        // Stored as connecting would store it; connecting itself is covered by ChannelTests.
        let channel = try await app.storeMastodonChannel(for: victim, server: "https://example.social")
        let queued = try await app.wiring.posts(on: app.db).create(.init(text: "Victim's queued post", thread: []), in: victim.workspace, by: victim.user)
        let delivery = try Delivery(postID: queued.requireID(), channel: channel, scheduledAt: Date().addingTimeInterval(86_400), now: Date())
        try await delivery.create(on: app.db)
        let (webhook, _) = try await app.wiring.webhooks(on: app.db).create(url: "https://victim.example.com/hooks", events: ["delivery.failed"], in: victim.workspace)
        let library = app.wiring.library(on: app.db)
        let category = try await library.createCategory(.init(name: "Victim's tips"), in: victim.workspace)
        let item = try await library.createItem(.init(category: try category.requireID().uuidString, text: "Victim's tip"), in: victim.workspace)
        let feed = FeedSubscription(id: UUID(), workspaceID: try victim.workspace.requireID(), createdBy: victim.user.id, url: "https://victim.example.com/feed.xml",
                                    title: "Victim's blog", channels: [try channel.requireID()], template: "{title} {link}", templates: [:], mode: .draft,
                                    pollMinutes: 15, nextPollAt: Date().addingTimeInterval(900))
        try await feed.create(on: app.db)
        // What people said to the victim's channel, an answer they keep, a link they made.
        try await app.db.transaction { db in
            _ = try await app.wiring.inbox(on: db).take([InboxTests.message("31", kind: .message, text: "Victim's private message")], from: channel)
        }
        let inboxItem = try #require(try await InboxItem.query(on: app.db).first())
        let savedReply = try await app.wiring.inbox(on: app.db).saveReply(title: "Hours", text: "Victim's hours", in: victim.workspace)
        let link = try await app.wiring.links(on: app.db).create(url: "https://victim.example.com/", campaign: nil, in: victim.workspace)
        let idea = try await app.wiring.ideas(on: app.db).add(.init(title: "Victim's idea"), in: victim.workspace, by: victim.user)
        return [
            "idea": try idea.requireID().uuidString,
            "column": try idea.$column.id.uuidString,
            "inboxItem": try inboxItem.requireID().uuidString,
            "reply": try savedReply.requireID().uuidString,
            "link": try link.requireID().uuidString,
            "category": try category.requireID().uuidString,
            "item": try item.requireID().uuidString,
            "feed": try feed.requireID().uuidString,
            "webhook": try webhook.requireID().uuidString,
            "delivery": try delivery.requireID().uuidString,
            "direction": "earlier",
            "table": "channels.csv",
            "channel": try channel.requireID().uuidString,
            "post": try post.requireID().uuidString,
            "media": try media.requireID().uuidString,
            WorkspaceMembership.parameter: victim.workspaceID,
            "member": try victim.user.requireID().uuidString,
            "invitation": try invitation.requireID().uuidString,
        ]
    }

    private func workspaceRoutes(_ app: Application, api: Bool) -> [Route] {
        app.routes.all.filter { route in
            let isAPI = route.path.first?.description == "api"
            return isAPI == api && route.path.contains { $0 == .parameter(WorkspaceMembership.parameter) }
        }
    }

    private func fill(_ route: Route, _ values: [String: String]) -> String {
        "/" + route.path.map { component -> String in
            if case let .parameter(name) = component { return values[name] ?? UUID().uuidString }
            return component.description
        }.joined(separator: "/")
    }

    @Test(arguments: TestDatabase.all)
    func everyWorkspaceAPIRouteAnswers404ToAnotherWorkspacesToken(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let victim = try await app.makeMember("victim@example.com", workspace: "Victim")
            let intruder = try await app.makeMember("intruder@example.com", workspace: "Intruder")
            let values = try await victimParameters(app, victim)
            let routes = workspaceRoutes(app, api: true)
            #expect(routes.count >= 8, "the walk must see the workspace routes")
            for route in routes {
                let path = fill(route, values)
                let response = try await app.api(route.method, path, as: intruder, json: "{}")
                #expect(response.status == .notFound, "\(route.method) \(path) answered \(response.status)")
                #expect((try? response.apiError().code) == "not_found")
                // The same route works for the victim: the 404 above is about tenancy, not a bad path.
                if route.method == .GET {
                    #expect(try await app.api(.GET, path, as: victim).status == .ok, "GET \(path) for its member")
                }
            }
            #expect(try await Workspace.find(victim.workspace.id, on: app.db)?.name == "Victim")
            #expect(try await Membership.query(on: app.db).filter(\.$workspace.$id == victim.workspace.requireID()).count() == 1)
            #expect(try await Invitation.query(on: app.db).count() == 1)
            #expect(try await Post.query(on: app.db).filter(\.$text == "Victim's draft").count() == 1)
            #expect(try await App.Channel.query(on: app.db).count() == 1)
            #expect(try await Webhook.query(on: app.db).count() == 1)
            #expect(try await LibraryItem.query(on: app.db).count() == 1)
            #expect(try await LibraryCategory.query(on: app.db).first()?.name == "Victim's tips")
            #expect(try await FeedSubscription.query(on: app.db).count() == 1)
            #expect(try await InboxItem.query(on: app.db).first()?.state == .open)
            #expect(try await SavedReply.query(on: app.db).count() == 1)
            #expect(try await ShortLink.query(on: app.db).count() == 1)
            #expect(try await Idea.query(on: app.db).first()?.title == "Victim's idea")
            #expect(try await IdeaVote.query(on: app.db).count() == 0)
            #expect(try await IdeaColumn.query(on: app.db).count() == IdeaBoard.startingColumns.count)
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyWorkspaceWebRouteAnswers404ToAnotherWorkspacesMember(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let victim = try await app.makeMember("victim@example.com", workspace: "Victim")
            let intruder = try await app.makeMember("intruder@example.com", workspace: "Intruder")
            let values = try await victimParameters(app, victim)
            let routes = workspaceRoutes(app, api: false)
            #expect(routes.count >= 8, "the walk must see the workspace pages")
            let browser = Browser(app)
            try await browser.logIn("intruder@example.com", intruder.password)
            let owner = Browser(app)
            try await owner.logIn("victim@example.com", victim.password)
            for route in routes {
                let path = fill(route, values)
                let response = route.method == .GET
                    ? try await browser.get(path)
                    : try await browser.post(path, ["name": "Taken", "confirm": "Victim", "parts[]": "Taken"])
                #expect(response.status == .notFound, "\(route.method) \(path) answered \(response.status)")
                #expect(response.text.contains("Page not found"))
                #expect(!response.text.contains("Victim"), "the page must not tell the workspace's name")
                // The inbox's event stream never ends by itself; InboxPagesTests opens it for a member.
                if route.method == .GET, !path.hasSuffix("/inbox/events") {
                    #expect(try await owner.get(path).status == .ok, "GET \(path) for its member")
                }
            }
            #expect(try await Workspace.find(victim.workspace.id, on: app.db)?.name == "Victim")
            #expect(try await InboxItem.query(on: app.db).filter(\.$state == .open).count() == 1)
            #expect(try await SavedReply.query(on: app.db).count() == 1)
            #expect(try await Invitation.query(on: app.db).count() == 1)
            #expect(try await Post.query(on: app.db).count() == 2)
            #expect(try await Post.query(on: app.db).filter(\.$text == "Victim's draft").count() == 1)
            #expect(try await MediaItem.query(on: app.db).count() == 1)
            #expect(try await App.Channel.query(on: app.db).count() == 1)
            #expect(try await Webhook.query(on: app.db).count() == 1)
        }
    }
}
