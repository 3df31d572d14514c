@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor

/// The inbox as a team works it, whatever network an item came from: kept once, narrowed,
/// taken, done, answered as a delivery; each workspace's its own; a disconnected channel's
/// history kept to read until the workspace deletes it; answers not among the posts.
@Suite struct InboxTests {
    @Test(arguments: TestDatabase.all)
    func aMessageReadTwiceIsOneItemWithItsContext(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let reply = Self.message("901", kind: .reply, text: "Do you bake on Sundays?", inReplyTo: "555")
                #expect(try await app.take([reply, Self.message("902", kind: .mention, text: "Best rye in town")], on: channel) == 2)
                #expect(try await app.take([reply], on: channel) == 0, "the same message read again, by a poll or the stream, is no new item")

                let items = try await app.inbox(ana)
                #expect(items.count == 2)
                let item = try #require(items.first { $0["kind"] as? String == "reply" })
                #expect(item["channel"] as? String == channel)
                #expect(item["channelHandle"] as? String == "@bakery@bakery.example")
                #expect(item["text"] as? String == "Do you bake on Sundays?")
                #expect(item["html"] as? String == "<p>Do you bake on Sundays?</p>")
                #expect(item["state"] as? String == "open")
                #expect(item["read"] as? Bool == false)
                #expect(item["private"] as? Bool == false)
                #expect(item["remoteURL"] as? String == "https://social.example/@mia/901")
                let author = try #require(item["author"] as? [String: Any])
                #expect(author["name"] as? String == "Mia")
                #expect(author["handle"] as? String == "mia@social.example")
                #expect(author["url"] as? String == "https://social.example/@mia")
                #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/inbox", as: ana).json()["unread"] as? Int == 2)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReplyToAPostTrestlePublishedNamesThatPost(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let post = try await app.createPost(ana, #"{"text": "Rye is out of the oven", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                try await app.publishDueDeliveries()
                let postID = try #require(post["id"] as? String)
                let delivery = try #require(try await app.deliveries(of: postID, ana).first)
                let statusID = try #require(delivery["remoteId"] as? String)

                try await app.take([Self.message("77", kind: .reply, text: "Saving one for me?", inReplyTo: statusID)], on: channel)
                let item = try #require(try await app.inbox(ana).first)
                let answered = try #require(item["inReplyTo"] as? [String: Any])
                #expect(answered["post"] as? String == postID)
                #expect(answered["delivery"] as? String == delivery["id"] as? String)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theListNarrowsByStateKindChannelAndAssignee(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                    let toot = try await app.connectMastodon(ana, mastodon)
                    let sky = try await app.connectBluesky(ana, bluesky)
                    try await app.take([Self.message("1", kind: .reply, text: "one"), Self.message("2", kind: .mention, text: "two"),
                                        Self.message("3", kind: .message, text: "three")], on: toot)
                    try await app.take([Self.message("at://did:plc:x/app.bsky.feed.post/4", kind: .quote, text: "four")], on: sky)
                    let ws = "/api/v1/workspaces/\(ana.workspaceID)/inbox"
                    let one = try #require(try await app.inbox(ana, query: "?kind=reply").first?["id"] as? String)
                    let patch = try await app.api(.PATCH, "\(ws)/\(one)", as: ana, json: #"{"assignee": "\#(try ben.user.requireID())", "state": "done"}"#)
                    #expect(patch.status == .ok, "\(patch.text)")
                    #expect(try patch.json()["assignee"] as? String == (try ben.user.requireID()).uuidString)

                    func texts(_ query: String) async throws -> [String] {
                        try await app.inbox(ana, query: query).compactMap { $0["text"] as? String }.sorted()
                    }
                    #expect(try await texts("") == ["four", "three", "two"], "open items by default")
                    #expect(try await texts("?state=done") == ["one"])
                    #expect(try await texts("?state=all") == ["four", "one", "three", "two"])
                    #expect(try await texts("?state=all&channel=\(sky)") == ["four"])
                    #expect(try await texts("?kind=message") == ["three"])
                    #expect(try await app.inbox(ana, query: "?kind=message").first?["private"] as? Bool == true, "a direct message is private")
                    #expect(try await texts("?state=all&assignee=\(try ben.user.requireID())") == ["one"])
                    #expect(try await texts("?assignee=nobody") == ["four", "three", "two"])

                    let bad = try await app.api(.GET, "\(ws)?state=maybe&kind=like", as: ana)
                    #expect(bad.status == .unprocessableEntity)
                    #expect(Set(try bad.apiError().fields.keys) == ["state", "kind"], "likes are counted, not in the inbox")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyMembersAreAssignedAndAnotherWorkspacesItemIsNotFound(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let eve = try await app.makeMember("eve@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                try await app.take([Self.message("5", kind: .message, text: "My order number is 1234")], on: channel)
                let id = try #require(try await app.inbox(ana).first?["id"] as? String)
                let item = "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(id)"

                let outsider = try await app.api(.PATCH, item, as: ana, json: #"{"assignee": "\#(try eve.user.requireID())"}"#)
                #expect(outsider.status == .unprocessableEntity)
                #expect(try outsider.apiError().fields["assignee"] != nil)

                // Eve reaches the item through her own workspace's path, and through Ana's.
                let theirs = "/api/v1/workspaces/\(eve.workspaceID)/inbox/\(id)"
                #expect(try await app.api(.GET, theirs, as: eve).status == .notFound)
                #expect(try await app.api(.PATCH, theirs, as: eve, json: #"{"state": "done"}"#).status == .notFound)
                #expect(try await app.api(.POST, "\(theirs)/reply", as: eve, json: #"{"text": "hi"}"#).status == .notFound)
                #expect(try await app.api(.GET, item, as: eve).status == .notFound)
                #expect(try await app.inbox(eve).isEmpty)
                #expect(try await app.inbox(ana).first?["state"] as? String == "open", "nothing changed")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDisconnectedChannelsItemsStayReadOnlyUntilTheWorkspaceDeletesThem(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                try await app.take([Self.message("6", kind: .mention, text: "Loved the croissants")], on: channel)
                let ws = "/api/v1/workspaces/\(ana.workspaceID)"
                #expect(try await app.api(.DELETE, "\(ws)/channels/\(channel)", as: ana).status == .noContent)

                let item = try #require(try await app.inbox(ana).first)
                #expect(item["readOnly"] as? Bool == true)
                #expect(item["channel"] == nil)
                #expect(item["channelHandle"] as? String == "@bakery@bakery.example")
                let id = try #require(item["id"] as? String)
                let change = try await app.api(.PATCH, "\(ws)/inbox/\(id)", as: ana, json: #"{"state": "done"}"#)
                #expect(change.status == .conflict)
                #expect(try change.apiError().code == "channel_disconnected")
                #expect(try await app.api(.POST, "\(ws)/inbox/\(id)/reply", as: ana, json: #"{"text": "Thank you!"}"#).status == .conflict)
                #expect(try await Post.query(on: app.db).count() == 0, "no answer was made")

                let handle = "@bakery@bakery.example".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                #expect(try await app.api(.DELETE, "\(ws)/inbox?channel=\(handle)", as: ana).status == .noContent)
                #expect(try await app.inbox(ana, query: "?state=all").isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAnswerThatDoesNotFitIsRefusedAndMakesNothing(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                try await app.take([Self.message("8", kind: .reply, text: "Open late?")], on: channel)
                let id = try #require(try await app.inbox(ana).first?["id"] as? String)
                let path = "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(id)/reply"
                for text in ["   ", String(repeating: "a", count: 600)] {
                    let response = try await app.api(.POST, path, as: ana, json: #"{"text": "\#(text)"}"#)
                    #expect(response.status == .unprocessableEntity, "\(response.text)")
                    #expect(try response.apiError().fields["text"] != nil)
                }
                #expect(try await app.api(.POST, path, as: ana, json: #"{"text": "ok", "cc": "x"}"#).status == .badRequest)
                #expect(try await Post.query(on: app.db).count() == 0)
                #expect(try await Delivery.query(on: app.db).count() == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func savedRepliesAreTheWorkspacesOwn(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let eve = try await app.makeMember("eve@example.com")
            let path = "/api/v1/workspaces/\(ana.workspaceID)/saved-replies"
            let made = try await app.api(.POST, path, as: ana, json: #"{"title": "Opening hours", "text": "We open at 7 every day but Monday."}"#)
            #expect(made.status == .created, "\(made.text)")
            let id = try #require(try made.json()["id"] as? String)
            let bad = try await app.api(.POST, path, as: ana, json: #"{"title": " ", "text": ""}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(try bad.apiError().fields.keys) == ["title", "text"])

            let listed = try await app.api(.GET, path, as: ana).jsonArray()
            #expect(listed.map { $0["title"] as? String } == ["Opening hours"])
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(eve.workspaceID)/saved-replies", as: eve).jsonArray().isEmpty)
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(eve.workspaceID)/saved-replies/\(id)", as: eve).status == .notFound)
            #expect(try await app.api(.DELETE, "\(path)/\(id)", as: ana).status == .noContent)
            #expect(try await app.api(.GET, path, as: ana).jsonArray().isEmpty)
        }
    }

    /// A message from Mia on social.example, as a network reader hands it over.
    static func message(_ id: String, kind: InboxMessage.Kind, text: String, inReplyTo: String? = nil) -> InboxMessage {
        InboxMessage(
            remoteID: id, kind: kind,
            author: InboxAuthor(name: "Mia", handle: "mia@social.example", avatarURL: "https://social.example/avatars/mia.png", profileURL: "https://social.example/@mia"),
            text: text, html: SafeHTML.paragraphs(text), createdAt: Date(timeIntervalSince1970: 1_800_000_000 + (Double(id) ?? 0)),
            url: "https://social.example/@mia/\(id)", inReplyTo: inReplyTo
        )
    }
}

extension Application {
    /// Hands `messages` to the inbox as the channel's reader would; returns how many were new.
    @discardableResult
    func take(_ messages: [InboxMessage], on channelID: String) async throws -> Int {
        let channel = try #require(try await App.Channel.find(UUID(uuidString: channelID), on: db))
        return try await db.transaction { db in try await self.wiring.inbox(on: db).take(messages, from: channel) }
    }
}

extension InboxTests {
    /// A channel's poll job given up (its workers died under it too often) is queued again by
    /// the worker's sweep: no channel goes unheard.
    @Test(arguments: TestDatabase.all)
    func aChannelWhosePollWasLostIsHeardAgain(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock(Date())
                app.wiring.clock = clock
                let ana = try await app.makeMember("ana@example.com")
                _ = try await app.connectMastodon(ana, mastodon)
                #expect(try await app.pollDueInboxes() == 1)
                // The next poll's job is lost.
                try await (app.db as! any SQLDatabase).raw("DELETE FROM jobs WHERE kind = \(bind: InboxService.pollJob)").run()
                clock.advance(by: 3_600)
                #expect(try await app.pollDueInboxes() == 1, "the sweep queued the overdue channel again")
                let state = try #require(try await InboxReaderState.query(on: app.db).first())
                #expect(state.nextPollAt > clock.now())
            }
        }
    }
}
