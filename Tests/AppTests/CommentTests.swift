@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Comments on drafts, scheduled posts and ideas: `@member` mentions notify exactly the members
/// named, a request for changes notifies the post's author, and only a comment's author edits
/// or deletes it.
@Suite struct CommentTests {
    @Test(arguments: TestDatabase.all)
    func aMentionNotifiesTheMembersNamedAndNobodyElse(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let cat = try await app.joinAnasWorkspace(ana, as: "cat@bakery.example")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let draft = try await app.createPost(ana, #"{"text": "Gingerbread workshop"}"#)
            let post = "\(ws)/posts/\(try #require(draft["id"] as? String))"

            let added = try await app.api(.POST, "\(post)/comments", as: ben, json: #"{"text": "@cat what do you think? (cc @ana@example.com, not eve@example.com or @eve)"}"#)
            #expect(added.status == .created, "\(added.text)")
            #expect(try added.json()["author"] as? String == "ben@example.com")

            let cats = try await app.api(.GET, "/api/v1/notifications", as: cat).json()
            #expect(cats["unread"] as? Int == 1)
            let notice = try #require((cats["notifications"] as? [[String: Any]])?.first)
            #expect(notice["actor"] as? String == "ben@example.com")
            #expect(notice["action"] as? String == "commented")
            #expect((notice["summary"] as? String)?.hasPrefix("On Gingerbread workshop: @cat what do you think?") == true)
            #expect(notice["post"] as? String == draft["id"] as? String)
            #expect(try await app.api(.GET, "/api/v1/notifications", as: ana).json()["unread"] as? Int == 1)
            #expect(try await app.api(.GET, "/api/v1/notifications", as: ben).json()["unread"] as? Int == 0, "nobody is notified of their own comment")

            let read = try await app.api(.POST, "/api/v1/notifications/read", as: cat, json: "{}").json()
            #expect(read["unread"] as? Int == 0)
            #expect(try await app.api(.GET, "/api/v1/notifications?unread=true", as: cat).json()["notifications"] as? [Any] != nil)
            #expect((try await app.api(.GET, "/api/v1/notifications?unread=true", as: cat).json()["notifications"] as? [Any])?.isEmpty == true)

            let comments = try await app.api(.GET, "\(post)/comments", as: cat).jsonArray()
            #expect(comments.count == 1)
            #expect(try await app.api(.GET, "\(ws)/activity?action=commented", as: cat).jsonArray().count == 1)
        }
    }

    @Test func aMentionIsAnAtThatStartsAWordAndAnAmbiguousNameMentionsNobody() {
        let ana = UUID(), other = UUID(), ben = UUID()
        let members = [(id: ana, email: "ana@bakery.example"), (id: other, email: "ana@mill.example"), (id: ben, email: "ben@bakery.example")]
        #expect(Mentions.members(in: "@ana look", among: members).isEmpty, "two members are ana")
        #expect(Mentions.members(in: "@ana@mill.example look", among: members) == [other])
        #expect(Mentions.members(in: "(@BEN), thanks.", among: members) == [ben])
        #expect(Mentions.members(in: "mail ben@bakery.example", among: members).isEmpty, "an address in a sentence is not a mention")
        #expect(Mentions.members(in: "@ben.", among: members) == [ben])
        #expect(Mentions.words(in: "@" + String(repeating: "a", count: 300)).isEmpty)
    }

    @Test(arguments: TestDatabase.all)
    func askingForChangesNotifiesTheAuthorAndIsForPostsOnly(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let draft = try await app.createPost(ben, #"{"text": "Lebkuchen are back"}"#)
            let post = "\(ws)/posts/\(try #require(draft["id"] as? String))"
            let asked = try await app.api(.POST, "\(post)/comments", as: ana, json: #"{"text": "Say until when, please.", "requestChanges": true}"#)
            #expect(asked.status == .created)
            #expect(try asked.json()["requestsChanges"] as? Bool == true)
            let bens = try #require(try await app.api(.GET, "/api/v1/notifications", as: ben).json()["notifications"] as? [[String: Any]])
            #expect(bens.compactMap { $0["action"] as? String } == ["requested_changes"])

            let idea = try await app.api(.POST, "\(ws)/ideas", as: ben, json: #"{"title": "Advent calendar"}"#).json()
            let ideaURL = "\(ws)/ideas/\(try #require(idea["id"] as? String))"
            let refused = try await app.api(.POST, "\(ideaURL)/comments", as: ana, json: #"{"text": "Hm", "requestChanges": true}"#)
            #expect(refused.status == .unprocessableEntity)
            #expect(try await app.api(.POST, "\(ideaURL)/comments", as: ana, json: #"{"text": "Love it, @ben"}"#).status == .created)
            #expect(try await app.api(.GET, "\(ideaURL)/comments", as: ben).jsonArray().count == 1)
            #expect(try await app.api(.GET, "/api/v1/notifications", as: ben).json()["unread"] as? Int == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyItsAuthorEditsOrDeletesACommentAndANewMentionIsHeard(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let cat = try await app.joinAnasWorkspace(ana, as: "cat@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let draft = try await app.createPost(ana, #"{"text": "Stollen pre-orders"}"#)
            let post = "\(ws)/posts/\(try #require(draft["id"] as? String))"
            let comment = try await app.api(.POST, "\(post)/comments", as: ben, json: #"{"text": "Looks good @ana"}"#).json()
            let url = "\(ws)/comments/\(try #require(comment["id"] as? String))"

            #expect(try await app.api(.PATCH, url, as: cat, json: #"{"text": "Looks bad"}"#).status == .forbidden)
            #expect(try await app.api(.DELETE, url, as: ana).status == .forbidden, "not even the workspace's owner")
            let edited = try await app.api(.PATCH, url, as: ben, json: #"{"text": "Looks good @ana — and @cat, can you check the price?"}"#)
            #expect(edited.status == .ok)
            #expect(try await app.api(.GET, "/api/v1/notifications", as: cat).json()["unread"] as? Int == 1, "newly mentioned")
            #expect(try await app.api(.GET, "/api/v1/notifications", as: ana).json()["unread"] as? Int == 1, "mentioned before: not again")
            #expect(try await app.api(.PATCH, url, as: ben, json: #"{"text": "  "}"#).status == .unprocessableEntity)
            #expect(try await Comment.query(on: app.db).first()?.text.hasSuffix("check the price?") == true)

            #expect(try await app.api(.DELETE, url, as: ben).status == .noContent)
            #expect(try await app.api(.GET, "\(post)/comments", as: ana).jsonArray().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badCommentsChangeNothingAndAnotherWorkspaceIsOutOfReach(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let eve = try await app.makeMember("eve@example.com", workspace: "Eve's")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let draft = try await app.createPost(ana, #"{"text": "Marzipan"}"#)
            let post = "\(ws)/posts/\(try #require(draft["id"] as? String))"
            for body in [#"{"text": ""}"#, #"{"text": "\#(String(repeating: "x", count: 5_001))"}"#] {
                #expect(try await app.api(.POST, "\(post)/comments", as: ana, json: body).status == .unprocessableEntity)
            }
            #expect(try await app.api(.POST, "\(post)/comments", as: ana, json: #"{"text": "x", "pinned": true}"#).status == .badRequest)
            #expect(try await app.api(.POST, "\(post)/comments", as: eve, json: #"{"text": "@ana hello"}"#).status == .notFound)
            let evesPost = "/api/v1/workspaces/\(eve.workspaceID)/posts/\(try #require(draft["id"] as? String))"
            #expect(try await app.api(.POST, "\(evesPost)/comments", as: eve, json: #"{"text": "@ana hello"}"#).status == .notFound)
            #expect(try await Comment.query(on: app.db).count() == 0)
            #expect(try await MemberNotification.query(on: app.db).count() == 0)

            // A mention in a workspace one has left is not shown any more.
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            _ = try await app.api(.POST, "\(post)/comments", as: ana, json: #"{"text": "@ben welcome"}"#)
            #expect(try await app.api(.GET, "/api/v1/notifications", as: ben).json()["unread"] as? Int == 1)
            #expect(try await app.api(.DELETE, "\(ws)/members/\(try ben.user.requireID())", as: ben).status == .noContent)
            let after = try await app.api(.GET, "/api/v1/notifications", as: ben).json()
            #expect(after["unread"] as? Int == 0)
            #expect((after["notifications"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func commentsAndNotificationsOnTheWeb(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let draft = try await app.createPost(ana, #"{"text": "Cinnamon stars"}"#)
            let postPage = "/workspaces/\(ana.workspaceID)/posts/\(try #require(draft["id"] as? String))"
            let browser = Browser(app)
            try await browser.logIn("ben@example.com", ben.password)
            let page = try await browser.get(postPage)
            #expect(page.text.contains("Ask the author for changes"))

            let refused = try await browser.post("\(postPage)/comments", ["text": "  "])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("id=\"comment-error\""))
            let sent = try await browser.post("\(postPage)/comments", ["text": "@ana the <b>price</b>?", "requestChanges": "on"])
            #expect(sent.status == .seeOther)
            let shown = try await browser.get(postPage).text
            #expect(shown.contains("@ana the &lt;b&gt;price&lt;/b&gt;?"))
            #expect(shown.contains("asks for changes"))

            let owner = Browser(app)
            try await owner.logIn("ana@example.com", ana.password)
            let notifications = try await owner.get("/notifications")
            #expect(notifications.text.contains("id=\"notifications-unread\">1<"), "the count beside Notifications")
            #expect(notifications.text.contains("requested_changes"))
            #expect(notifications.text.contains("no mail server set up"))
            #expect(try await owner.post("/notifications/read").status == .seeOther)
            #expect(!(try await owner.get("/notifications").text.contains("notifications-unread")))

            let idea = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/ideas", as: ana, json: #"{"title": "Baking class"}"#).json()
            let ideaPage = "/workspaces/\(ana.workspaceID)/ideas/\(try #require(idea["id"] as? String))"
            #expect(try await browser.post("\(ideaPage)/comments", ["text": "Count me in"]).status == .seeOther)
            #expect(try await browser.get(ideaPage).text.contains("Count me in"))
        }
    }
}

extension CommentTests {
    /// The API documents lengths as JSON Schema counts them, in code points: a comment of 3,000
    /// letters each with a combining accent is 6,000 long, over the 5,000 allowed.
    @Test func aCommentIsAsLongAsItsCodePoints() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let draft = try await app.createPost(ana, #"{"text": "Lebkuchen are back"}"#)
            let path = "/api/v1/workspaces/\(ana.workspaceID)/posts/\(try #require(draft["id"] as? String))/comments"
            let long = String(repeating: "e\u{301}", count: 3_000)
            let refused = try await app.api(.POST, path, as: ana, json: #"{"text": "\#(long)"}"#)
            #expect(refused.status == .unprocessableEntity)
            let accepted = try await app.api(.POST, path, as: ana, json: #"{"text": "\#(String(repeating: "e\u{301}", count: 2_500))"}"#)
            #expect(accepted.status == .created)
        }
    }
}
