@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct DraftTests {
    @Test(arguments: TestDatabase.all)
    func draftsAreCreatedEditedListedAndDeletedThroughTheAPI(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let base = "/api/v1/workspaces/\(ana.workspaceID)/posts"
            let created = try await app.api(.POST, base, as: ana, json: #"{"text": "New loaves on Friday 🥖", "thread": ["Sourdough, rye and spelt."]}"#)
            #expect(created.status == .created)
            let post = try created.json()
            let id = try #require(post["id"] as? String)
            #expect(post["status"] as? String == "draft")
            #expect(post["thread"] as? [String] == ["Sourdough, rye and spelt."])
            #expect((post["deliveries"] as? [Any])?.isEmpty == true)

            let variant = try await app.api(.PATCH, "\(base)/\(id)", as: ana, json: #"{"variants": {"x": {"text": "Loaves Fri 🥖"}, "bluesky": {"text": " "}}}"#)
            #expect(try variant.json()["variants"] as? [String: String] == ["x": "Loaves Fri 🥖"], "an empty variant means the post's own text")
            let changed = try await app.api(.PATCH, "\(base)/\(id)", as: ana, json: #"{"text": "New loaves on Saturday"}"#)
            #expect(changed.status == .ok)
            #expect(try changed.json()["text"] as? String == "New loaves on Saturday")
            #expect(try changed.json()["thread"] as? [String] == ["Sourdough, rye and spelt."], "fields left out stay")

            let list = try await app.api(.GET, base, as: ana).jsonArray()
            #expect(list.map { $0["id"] as? String } == [id])
            #expect(try await app.api(.GET, "\(base)/\(id)", as: ana).json()["text"] as? String == "New loaves on Saturday")

            #expect(try await app.api(.DELETE, "\(base)/\(id)", as: ana).status == .noContent)
            #expect(try await app.api(.GET, "\(base)/\(id)", as: ana).status == .notFound)
            #expect(try await Post.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badPostsGetAClearErrorAndNothingIsStored(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let base = "/api/v1/workspaces/\(ana.workspaceID)/posts"
            let cases: [(String, HTTPStatus, String)] = [
                (#"{"text": "   "}"#, .unprocessableEntity, "text"),
                (#"{}"#, .unprocessableEntity, "text"),
                (#"{"text": "Hi", "thread": ["ok", ""]}"#, .unprocessableEntity, "thread"),
                (#"{"text": "Hi", "channels": ["7f0c1c1e-0000-4000-8000-000000000000"]}"#, .unprocessableEntity, "channels"),
                (#"{"text": "Hi", "variants": {"abc": {"text": "x"}}}"#, .unprocessableEntity, "variants"),
                (#"{"text": "Hi", "schedule": {"now": true}}"#, .unprocessableEntity, "channels"),
                (#"{"text": "Hi", "images": []}"#, .badRequest, "images"),
                (#"{"text": "\ud83d"}"#, .badRequest, ""),
                (#"{"text": "\#(String(repeating: "z", count: 100_001))"}"#, .unprocessableEntity, "text"),
            ]
            for (body, status, field) in cases {
                let response = try await app.api(.POST, base, as: ana, json: body)
                #expect(response.status == status, "\(body.prefix(60)) answered \(response.status): \(response.text.prefix(160))")
                if !field.isEmpty { #expect(try response.apiError().fields[field] != nil, "\(body.prefix(60))") }
            }
            #expect(try await Post.query(on: app.db).count() == 0)

            let created = try await app.api(.POST, base, as: ana, json: #"{"text": "Keep me"}"#)
            let id = try #require(try created.json()["id"] as? String)
            #expect(try await app.api(.PATCH, "\(base)/\(id)", as: ana, json: #"{"text": ""}"#).status == .unprocessableEntity)
            #expect(try await Post.query(on: app.db).first()?.text == "Keep me", "a refused change changes nothing")
        }
    }

    @Test func aScheduleTakesTheInstantsTheDocumentCallsDateTime() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            for at in ["2030-05-01T09:30:00Z", "2030-05-01T09:30:00.123Z", "2030-05-01T09:30:00.123456+02:00", "2030-05-01t09:30:00z"] {
                let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana,
                                                  json: #"{"text": "Hi", "schedule": {"at": "\#(at)"}}"#)
                // The instant is read; what is missing is a channel to schedule for.
                #expect(try response.apiError().fields.keys.sorted() == ["channels"], "\(at): \(response.text)")
            }
            let wrong = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana,
                                           json: #"{"text": "Hi", "schedule": {"at": "next Tuesday"}}"#)
            #expect(try wrong.apiError().fields["schedule.at"] != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDraftIsSavedFromTheComposerAndOpenedAgain(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            try await browser.get("/workspaces/\(ana.workspaceID)/compose")
            let empty = try await browser.post("/workspaces/\(ana.workspaceID)/posts", ["parts[]": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Write something: a post needs text."))

            let saved = try await browser.post("/workspaces/\(ana.workspaceID)/posts", ["parts[]": "Croissants <warm>\r\nat 8"])
            #expect(saved.location == "/workspaces/\(ana.workspaceID)/posts")
            let list = try await browser.get("/workspaces/\(ana.workspaceID)/posts")
            #expect(list.text.contains("Croissants &lt;warm&gt;\nat 8"))
            let post = try #require(try await Post.query(on: app.db).first())
            #expect(post.text == "Croissants <warm>\nat 8", "a browser's CRLF is stored as the LF the composer counted")
            let edit = try await browser.get("/workspaces/\(ana.workspaceID)/posts/\(post.requireID())/edit")
            #expect(edit.text.contains(">Croissants &lt;warm&gt;\nat 8</textarea>"))
            #expect(edit.text.contains(#"action="/workspaces/\#(ana.workspaceID)/posts/\#(try post.requireID())""#))
        }
    }
}
