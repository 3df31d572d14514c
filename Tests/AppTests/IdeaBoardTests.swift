@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// The ideas board: anyone in the workspace brings an idea, everyone votes once and sees who
/// voted, the team names the columns and moves ideas between them, and an idea becomes a draft
/// that remembers where it came from.
@Suite struct IdeaBoardTests {
    @Test(arguments: TestDatabase.all)
    func anyMemberBringsAnIdeaAndEveryoneVotesOnceInTheOpen(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let cat = try await app.joinAnasWorkspace(ana, as: "cat@example.com")
            let ideas = "/api/v1/workspaces/\(ana.workspaceID)/ideas"

            let columns = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/idea-columns", as: ben).jsonArray()
            #expect(columns.compactMap { $0["name"] as? String } == ["New", "Worth doing", "In progress", "Used"])

            let bens = try await app.api(.POST, ideas, as: ben, json: #"{"title": "Behind the counter at 5 a.m.", "note": "Photos of the first bake"}"#)
            #expect(bens.status == .created, "\(bens.text)")
            let counter = try bens.json()
            #expect(counter["column"] as? String == "New")
            #expect(counter["votes"] as? Int == 0)
            #expect(counter["author"] as? String == "ben@example.com")
            let counterURL = "\(ideas)/\(try #require(counter["id"] as? String))"
            try await Task.sleep(for: .milliseconds(20))
            let rye = try await app.api(.POST, ideas, as: ana, json: #"{"title": "Rye starter giveaway", "column": "worth doing"}"#).json()
            #expect(rye["column"] as? String == "Worth doing", "a column is named as the team wrote it, in any case")
            let ryeURL = "\(ideas)/\(try #require(rye["id"] as? String))"

            // One vote a member, however often they press; everyone sees who.
            for _ in 0..<3 { #expect(try await app.api(.POST, "\(counterURL)/vote", as: cat).status == .ok) }
            let voted = try await app.api(.POST, "\(counterURL)/vote", as: ana).json()
            #expect(voted["votes"] as? Int == 2)
            #expect((voted["voters"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["cat@example.com", "ana@example.com"])
            #expect(voted["votedByMe"] as? Bool == true)
            #expect(try await app.api(.GET, counterURL, as: ben).json()["votedByMe"] as? Bool == false)

            let byVotes = try await app.api(.GET, ideas, as: ben).jsonArray().compactMap { $0["title"] as? String }
            #expect(byVotes == ["Behind the counter at 5 a.m.", "Rye starter giveaway"])
            let byAge = try await app.api(.GET, "\(ideas)?sort=age", as: ben).jsonArray().compactMap { $0["title"] as? String }
            #expect(byAge == ["Rye starter giveaway", "Behind the counter at 5 a.m."])
            let worth = try await app.api(.GET, "\(ideas)?column=Worth%20doing", as: ben).jsonArray()
            #expect(worth.compactMap { $0["id"] as? String } == [rye["id"] as? String])

            let withdrawn = try await app.api(.DELETE, "\(counterURL)/vote", as: ana).json()
            #expect(withdrawn["votes"] as? Int == 1)
            #expect(try await app.api(.POST, "\(ryeURL)/vote", as: ben).json()["votes"] as? Int == 1)
            #expect(try await app.api(.GET, "\(ideas)?sort=size", as: ben).status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.all)
    func manyVotesAtOnceCountOncePerMemberAndAFirstLookMakesOneSetOfColumns(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            // Two first looks at the board at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for member in [ana, ben, ana, ben] {
                    group.addTask {
                        let answer = try await app.api(.GET, "\(ws)/idea-columns", as: member)
                        #expect(answer.status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await IdeaColumn.query(on: app.db).count() == 4)

            let idea = try await app.api(.POST, "\(ws)/ideas", as: ana, json: #"{"title": "Sourdough class"}"#).json()
            let url = "\(ws)/ideas/\(try #require(idea["id"] as? String))/vote"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for member in Array(repeating: ben, count: 8) + Array(repeating: ana, count: 8) {
                    group.addTask {
                        let answer = try await app.api(.POST, url, as: member)
                        #expect(answer.status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await IdeaVote.query(on: app.db).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theTeamNamesItsColumnsAndMovesIdeasBetweenThem(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let columns = try await app.api(.GET, "\(ws)/idea-columns", as: ben).jsonArray()
            let worth = try #require(columns[1]["id"] as? String)
            let renamed = try await app.api(.PATCH, "\(ws)/idea-columns/\(worth)", as: ben, json: #"{"name": "Shortlist", "position": 0}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            let seasonal = try await app.api(.POST, "\(ws)/idea-columns", as: ben, json: #"{"name": "Seasonal"}"#)
            #expect(seasonal.status == .created)
            let names = try await app.api(.GET, "\(ws)/idea-columns", as: ana).jsonArray().compactMap { $0["name"] as? String }
            #expect(names == ["Shortlist", "New", "In progress", "Used", "Seasonal"])

            let clash = try await app.api(.POST, "\(ws)/idea-columns", as: ben, json: #"{"name": " seasonal "}"#)
            #expect(clash.status == .unprocessableEntity)
            #expect(try clash.apiError().fields["name"] != nil)
            #expect(try await app.api(.PATCH, "\(ws)/idea-columns/\(worth)", as: ben, json: #"{"position": 9}"#).status == .unprocessableEntity)

            // Ben moves Ana's idea — any member may — by a column's name or its id.
            let idea = try await app.api(.POST, "\(ws)/ideas", as: ana, json: #"{"title": "Pretzel Sunday"}"#).json()
            #expect(idea["column"] as? String == "Shortlist", "a new idea goes to the first column")
            let url = "\(ws)/ideas/\(try #require(idea["id"] as? String))"
            #expect(try await app.api(.PATCH, url, as: ben, json: #"{"column": "Seasonal"}"#).json()["column"] as? String == "Seasonal")
            let moved = try await app.api(.PATCH, url, as: ben, json: #"{"column": "\#(worth)"}"#).json()
            #expect(moved["column"] as? String == "Shortlist")
            let nowhere = try await app.api(.PATCH, url, as: ben, json: #"{"column": "Someday"}"#)
            #expect(nowhere.status == .unprocessableEntity)
            #expect(try nowhere.apiError().fields["column"]?.contains("Shortlist") == true, "the error names the columns there are")

            // A column that holds ideas stays; an empty one goes; the last one stays.
            let holding = try await app.api(.DELETE, "\(ws)/idea-columns/\(worth)", as: ben)
            #expect(holding.status == .conflict)
            #expect(try holding.apiError().code == "column_not_empty")
            for column in try await app.api(.GET, "\(ws)/idea-columns", as: ana).jsonArray() where column["id"] as? String != worth {
                #expect(try await app.api(.DELETE, "\(ws)/idea-columns/\(try #require(column["id"] as? String))", as: ana).status == .noContent)
            }
            #expect(try await app.api(.DELETE, url, as: ana).status == .noContent)
            let last = try await app.api(.DELETE, "\(ws)/idea-columns/\(worth)", as: ana)
            #expect(last.status == .conflict)
            #expect(try last.apiError().code == "last_column")
        }
    }

    @Test(arguments: TestDatabase.all)
    func anIdeaBecomesADraftThatRemembersIt(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let image = try await app.upload(TestMedia.png(width: 800, height: 600), named: "loaves.png", alt: "Loaves cooling", as: ana).json()
            let imageID = try #require(image["id"] as? String)
            let idea = try await app.api(.POST, "\(ws)/ideas", as: ben, json: """
                {"title": "Meet the bakers", "note": "A short series, one baker a week.", "link": "https://bakery.example/team", "image": "\(imageID)"}
                """)
            #expect(idea.status == .created, "\(idea.text)")
            let ideaID = try #require(try idea.json()["id"] as? String)

            let made = try await app.api(.POST, "\(ws)/ideas/\(ideaID)/draft", as: ana)
            #expect(made.status == .created, "\(made.text)")
            let draft = try made.json()
            #expect(draft["status"] as? String == "draft")
            #expect(draft["text"] as? String == "Meet the bakers\n\nA short series, one baker a week.\n\nhttps://bakery.example/team")
            #expect(draft["media"] as? [String] == [imageID])
            #expect(draft["idea"] as? String == ideaID, "the draft remembers its idea")
            #expect(draft["authorID"] as? String == ana.user.id?.uuidString, "the draft is of whoever made it")
            let postID = try #require(draft["id"] as? String)
            #expect(try await app.api(.GET, "\(ws)/posts/\(postID)", as: ben).json()["idea"] as? String == ideaID)
            #expect(try await app.api(.GET, "\(ws)/ideas/\(ideaID)", as: ben).json()["drafts"] as? [String] == [postID])

            // Deleting the idea keeps the draft, which no longer points at it.
            #expect(try await app.api(.DELETE, "\(ws)/ideas/\(ideaID)", as: ben).status == .noContent)
            let kept = try await app.api(.GET, "\(ws)/posts/\(postID)", as: ana).json()
            #expect(kept["idea"] == nil, "the draft no longer names it")
            #expect(try await app.api(.GET, "\(ws)/ideas/\(ideaID)", as: ana).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyItsAuthorOrTheOwnerChangesWhatAnIdeaSays(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let cat = try await app.joinAnasWorkspace(ana, as: "cat@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let idea = try await app.api(.POST, "\(ws)/ideas", as: ben, json: #"{"title": "Crumb shots"}"#).json()
            let url = "\(ws)/ideas/\(try #require(idea["id"] as? String))"

            let refused = try await app.api(.PATCH, url, as: cat, json: #"{"title": "Crust shots"}"#)
            #expect(refused.status == .forbidden)
            #expect(try await app.api(.DELETE, url, as: cat).status == .forbidden)
            #expect(try await Idea.query(on: app.db).first()?.title == "Crumb shots")

            let edited = try await app.api(.PATCH, url, as: ben, json: #"{"title": "Crumb close-ups", "link": "https://bakery.example/crumb"}"#).json()
            #expect(edited["title"] as? String == "Crumb close-ups")
            #expect(edited["link"] as? String == "https://bakery.example/crumb")
            let cleared = try await app.api(.PATCH, url, as: ana, json: #"{"link": null}"#).json()
            #expect(cleared["link"] is NSNull, "the owner may change it too")
        }
    }

    @Test(arguments: TestDatabase.all)
    func badIdeasAreRefusedWithReasonsAndChangeNothing(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let cases: [(String, String)] = [
                (#"{"title": "   "}"#, "title"),
                (#"{"title": "two\nlines"}"#, "title"),
                (#"{"title": "\#(String(repeating: "a", count: 201))"}"#, "title"),
                (#"{"title": "ok", "link": "javascript:alert(1)"}"#, "link"),
                (#"{"title": "ok", "link": "https://user:pw@bakery.example/"}"#, "link"),
                (#"{"title": "ok", "image": "\#(UUID().uuidString)"}"#, "image"),
                (#"{"title": "ok", "column": "Nowhere"}"#, "column"),
                (#"{"title": "ok", "note": "\#(String(repeating: "n", count: 5_001))"}"#, "note"),
            ]
            for (body, field) in cases {
                let answer = try await app.api(.POST, "\(ws)/ideas", as: ana, json: body)
                #expect(answer.status == .unprocessableEntity, "\(body.prefix(60))")
                #expect(try answer.apiError().fields[field] != nil, "\(body.prefix(60)) names \(field)")
            }
            #expect(try await app.api(.POST, "\(ws)/ideas", as: ana, json: #"{"title": "ok", "votes": 99}"#).status == .badRequest)
            #expect(try await app.api(.POST, "\(ws)/idea-columns", as: ana, json: #"{"name": ""}"#).status == .unprocessableEntity)
            #expect(try await Idea.query(on: app.db).count() == 0)
            #expect(try await IdeaColumn.query(on: app.db).count() == 4)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anotherWorkspacesIdeasAreOutOfReach(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let eve = try await app.makeMember("eve@example.com", workspace: "Eve's")
            let ws = "/api/v1/workspaces/\(ana.workspaceID)"
            let idea = try await app.api(.POST, "\(ws)/ideas", as: ana, json: #"{"title": "Secret recipe week"}"#).json()
            let id = try #require(idea["id"] as? String)
            #expect(try await app.api(.GET, "\(ws)/ideas", as: eve).status == .notFound)
            let evesWS = "/api/v1/workspaces/\(eve.workspaceID)"
            #expect(try await app.api(.GET, "\(evesWS)/ideas/\(id)", as: eve).status == .notFound)
            #expect(try await app.api(.POST, "\(evesWS)/ideas/\(id)/vote", as: eve).status == .notFound)
            #expect(try await app.api(.POST, "\(evesWS)/ideas/\(id)/draft", as: eve).status == .notFound)
            let anasColumn = try #require(try await app.api(.GET, "\(ws)/idea-columns", as: ana).jsonArray().last?["id"] as? String)
            #expect(try await app.api(.POST, "\(evesWS)/ideas", as: eve, json: #"{"title": "x", "column": "\#(anasColumn)"}"#).status == .unprocessableEntity)
            #expect(try await app.api(.DELETE, "\(evesWS)/idea-columns/\(anasColumn)", as: eve).status == .notFound)
            #expect(try await IdeaVote.query(on: app.db).count() == 0)
            #expect(try await Post.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theBoardWorksWithoutJavaScript(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
            let browser = Browser(app)
            try await browser.logIn("ben@example.com", ben.password)
            let board = "/workspaces/\(ana.workspaceID)/ideas"
            let empty = try await browser.get(board)
            #expect(empty.status == .ok)
            #expect(empty.text.contains("Worth doing"))

            let refused = try await browser.post(board, ["title": "", "link": "ftp://bakery.example"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("field-error"))
            #expect(try await Idea.query(on: app.db).count() == 0)

            #expect(try await browser.post(board, ["title": "Flour <b>sack</b> tote", "note": "Sell them at the counter"]).status == .seeOther)
            let idea = try #require(try await Idea.query(on: app.db).first())
            let page = try await browser.get(board).text
            #expect(page.contains("Flour &lt;b&gt;sack&lt;/b&gt; tote"), "what a member writes is shown as text")
            #expect(page.contains("0 votes"))

            let url = "\(board)/\(try idea.requireID().uuidString)"
            #expect(try await browser.post("\(url)/vote", ["vote": "on"]).status == .seeOther)
            #expect(try await browser.get(board).text.contains("1 vote</span> <span class=\"muted\">— ben@example.com"))
            let used = try #require(try await IdeaColumn.query(on: app.db).filter(\.$name == "Used").first())
            #expect(try await browser.post("\(url)/move", ["column": used.requireID().uuidString]).status == .seeOther)
            #expect(try await Idea.query(on: app.db).first()?.$column.id == used.id)

            let drafted = try await browser.post("\(url)/draft")
            #expect(drafted.status == .seeOther)
            let post = try #require(try await Post.query(on: app.db).first())
            #expect(post.ideaID == idea.id)
            #expect(drafted.location == "/workspaces/\(ana.workspaceID)/posts/\(try post.requireID().uuidString)/edit")
            #expect(try await browser.get(board).text.contains("Drafted:"))

            #expect(try await browser.post("\(board)/columns", ["name": "Christmas"]).status == .seeOther)
            let clash = try await browser.post("\(board)/columns", ["name": "christmas"])
            #expect(clash.status == .unprocessableEntity)
            #expect(clash.text.contains("already"))
        }
    }
}
