@testable import App
import AsyncHTTPClient
import Fluent
import Foundation
import Networks
import Synchronization
import Testing
import Vapor

/// The inbox in the web UI: the list and its filters, an item's page with its conversation and
/// answers, working an item (done, assigned, answered), saved replies, what stays of a
/// disconnected channel, the unread count in the navigation, and the event stream that keeps an
/// open page up to date.
@Suite struct InboxPagesTests {
    @Test(arguments: TestDatabase.all)
    func theListShowsNewestFirstAndFiltersNarrowIt(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeBluesky.with { bluesky in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    // setup
                    let ana = try await app.makeMember("ana@example.com")
                    let channel = try await app.connectMastodon(ana, mastodon)
                    let sky = try await app.connectBluesky(ana, bluesky)
                    let day = Date(timeIntervalSince1970: 1_795_000_000)
                    try await app.hear([
                        inboxMessage("1", .reply, text: "First: a reply", at: day),
                        inboxMessage("2", .mention, text: "Second: a mention", at: day.addingTimeInterval(60)),
                        inboxMessage("3", .message, text: "Third: a private message", at: day.addingTimeInterval(120)),
                    ], on: channel)
                    try await app.hear([inboxMessage("at://sky/1", .quote, text: "Fourth: a quote on Bluesky", at: day.addingTimeInterval(180))], on: sky)
                    let browser = Browser(app)
                    try await browser.logIn("ana@example.com", ana.password)
                    let inbox = "/workspaces/\(ana.workspaceID)/inbox"

                    // MUT / validate
                    let all = try await browser.get(inbox)
                    #expect(all.status == .ok)
                    let order = ["Fourth", "Third", "Second", "First"].map { all.text.range(of: "\($0): ")?.lowerBound }
                    #expect(order.allSatisfy { $0 != nil } && order == order.sorted { $0! < $1! }, "newest first")
                    #expect(all.text.contains("Private message"), "a message is marked private")
                    #expect(all.text.components(separatedBy: #"class="inbox-item unread""#).count - 1 == 4, "each unread item is marked")

                    let mentions = try await browser.get(inbox + "?kind=mention")
                    #expect(mentions.text.contains("Second: a mention"))
                    #expect(!mentions.text.contains("First: a reply") && !mentions.text.contains("Third:"))
                    #expect(mentions.text.contains(#"<option value="mention" selected>"#), "the form shows the filter chosen")

                    let onBluesky = try await browser.get(inbox + "?channel=\(sky)")
                    #expect(onBluesky.text.contains("Fourth: a quote") && !onBluesky.text.contains("First: a reply"))

                    let first = try await app.inboxItem("1")
                    let done = try await browser.post(InboxURL.state(ana.workspace.requireID(), first.requireID()), ["state": "done", "next": inbox])
                    #expect(done.status == .seeOther)
                    #expect(!(try await browser.get(inbox).text.contains("First: a reply")), "the list shows open items by default")
                    let doneList = try await browser.get(inbox + "?state=done")
                    #expect(doneList.text.contains("First: a reply") && !doneList.text.contains("Second: a mention"))
                    #expect(try await browser.get(inbox + "?state=all").text.contains("First: a reply"))

                    let second = try await app.inboxItem("2")
                    try await browser.post(InboxURL.assignee(ana.workspace.requireID(), second.requireID()), ["assignee": ana.user.requireID().uuidString])
                    let mine = try await browser.get(inbox + "?assignee=me")
                    #expect(mine.text.contains("Second: a mention") && !mine.text.contains("Third:"))
                    let nobodys = try await browser.get(inbox + "?assignee=nobody")
                    #expect(nobodys.text.contains("Third:") && !nobodys.text.contains("Second: a mention"))
                    #expect(try await browser.get(inbox + "?assignee=nonsense&kind=nonsense").status == .ok, "an odd link shows the default view")

                    // The fragment the page's script swaps in is the same list.
                    let fragment = try await browser.get("\(inbox)/list?kind=mention")
                    #expect(fragment.text.contains("Second: a mention") && !fragment.text.contains("<html"))
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anotherWorkspacesItemIsNotFound(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let bob = try await app.makeMember("bob@example.com")
                let channel = try await app.connectMastodon(bob, mastodon)
                try await app.hear([inboxMessage("9", text: "For Bob only")], on: channel)
                let item = try await app.inboxItem("9").requireID()
                let bobs = try bob.workspace.requireID()
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)

                let mine = try ana.workspace.requireID()
                #expect(try await browser.get(InboxURL.item(mine, item)).status == .notFound)
                #expect(try await browser.post(InboxURL.state(mine, item), ["state": "done"]).status == .notFound)
                #expect(try await browser.post(InboxURL.answer(mine, item), ["text": "Hi"]).status == .notFound)
                #expect(try await browser.get(InboxURL.item(bobs, item)).status == .notFound)
                #expect(try await browser.get(InboxURL.list(bobs)).status == .notFound)
                #expect(try await browser.get(InboxURL.events(bobs)).status == .notFound)
                #expect(!(try await browser.get(InboxURL.list(mine)).text.contains("For Bob only")))
                let untouched = try await app.inboxItem("9")
                #expect(untouched.state == .open && untouched.readAt == nil)
            }
        }
    }

    @Test func hostileNamesTextAndAddressesAreEscaped() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                app.useInboxReader(ScriptedInboxReader())
                try await app.hear([inboxMessage(
                    "6", text: "<script>alert('text')</script> <b>bold</b>", name: "<script>alert('name')</script>\"><img src=x onerror=alert(1)>",
                    handle: "x\"><svg onload=alert(2)>@evil.example", profileURL: "javascript:alert('profile')",
                    avatarURL: "javascript:alert('avatar')", url: "javascript:alert('url')"
                )], on: channel)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let item = try await app.inboxItem("6").requireID()
                for path in [InboxURL.list(try ana.workspace.requireID()), InboxURL.item(try ana.workspace.requireID(), item)] {
                    let page = try await browser.get(path)
                    #expect(page.status == .ok)
                    #expect(!page.text.contains("<script>alert"), "\(path)")
                    #expect(!page.text.contains("<img src=x") && !page.text.contains("<svg") && !page.text.contains("<b>bold"), "\(path)")
                    #expect(!page.text.lowercased().contains("javascript:"), "\(path): no javascript: address reaches a page")
                    #expect(page.text.contains("&lt;script&gt;alert("), "\(path): the text is shown, as text")
                }
            }
        }
    }

    /// People's pictures come from their servers: the inbox's pages let https pictures load,
    /// and the author's initial stands in for a plain-http one; every other page keeps to its own.
    @Test func peoplesPicturesLoadFromHttpsOnInboxPagesOnly() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                app.useInboxReader(ScriptedInboxReader())
                try await app.hear([
                    inboxMessage("1", name: "Mia Baker", avatarURL: "https://town.example/avatars/mia.png"),
                    inboxMessage("2", name: "Leo Park", handle: "leo@town.example", avatarURL: "http://town.example/avatars/leo.png"),
                ], on: channel)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let workspace = try ana.workspace.requireID()
                for path in [InboxURL.list(workspace), InboxURL.item(workspace, try await app.inboxItem("1").requireID())] {
                    let page = try await browser.get(path)
                    #expect(page.headers.first(name: "Content-Security-Policy")?.contains("img-src 'self' data: https:;") == true, "\(path)")
                    #expect(page.text.contains(#"src="https://town.example/avatars/mia.png""#), "\(path)")
                }
                let list = try await browser.get(InboxURL.list(workspace))
                #expect(!list.text.contains("http://town.example/avatars/leo.png"))
                #expect(list.text.contains(#"<span class="avatar initial" aria-hidden="true">L</span>"#))
                let dashboard = try await browser.get("/workspaces/\(ana.workspaceID)")
                #expect(dashboard.headers.first(name: "Content-Security-Policy")?.contains("img-src 'self' data:;") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func doneAndAssignFormsChangeTheItem(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let bob = try await app.makeMember("bob@example.com")
                let carl = try await app.makeMember("carl@example.com")
                let (_, token) = try await InvitationService(db: app.db).create(for: ana.workspace, by: ana.user)
                _ = try await InvitationService(db: app.db).accept(token: token, by: bob.user)
                let channel = try await app.connectMastodon(ana, mastodon)
                try await app.hear([inboxMessage("5")], on: channel)
                let item = try await app.inboxItem("5").requireID()
                let workspace = try ana.workspace.requireID()
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let page = try await browser.get(InboxURL.item(workspace, item))
                #expect(page.text.contains(#"<option value="\#(try bob.user.requireID().uuidString)">bob@example.com</option>"#), "members can be chosen")

                // A form without its CSRF token changes nothing.
                let forged = try await browser.post(InboxURL.state(workspace, item), ["state": "done"], csrf: false)
                #expect(forged.status == .forbidden)
                #expect(try await app.inboxItem("5").state == .open)

                let done = try await browser.post(InboxURL.state(workspace, item), ["state": "done", "next": InboxURL.item(workspace, item)])
                #expect(done.status == .seeOther && done.location == InboxURL.item(workspace, item))
                #expect(try await app.inboxItem("5").state == .done)
                #expect(try await browser.get(InboxURL.item(workspace, item)).text.contains("Open again"))
                try await browser.post(InboxURL.state(workspace, item), ["state": "open"])
                #expect(try await app.inboxItem("5").state == .open)

                let assigned = try await browser.post(InboxURL.assignee(workspace, item), ["assignee": bob.user.requireID().uuidString])
                #expect(assigned.status == .seeOther)
                #expect(try await app.inboxItem("5").$assignee.id == bob.user.id)
                #expect(try await browser.get(InboxURL.list(workspace)).text.contains("assigned to bob@example.com"))
                let outsider = try await browser.post(InboxURL.assignee(workspace, item), ["assignee": carl.user.requireID().uuidString])
                #expect(outsider.status == .unprocessableEntity, "only a member of the workspace can have it")
                #expect(try await app.inboxItem("5").$assignee.id == bob.user.id)
                try await browser.post(InboxURL.assignee(workspace, item), ["assignee": ""])
                #expect(try await app.inboxItem("5").$assignee.id == nil)
                // A redirect never leaves the site.
                let away = try await browser.post(InboxURL.state(workspace, item), ["state": "done", "next": "//evil.example/"])
                #expect(away.location == InboxURL.list(workspace))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theNavigationCountsUnreadItemsAndOpeningOneReadsIt(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let dashboard = "/workspaces/\(ana.workspaceID)"
                #expect(try await browser.get(dashboard).text.contains(#"<span class="nav-count" id="inbox-unread" hidden>"#), "no count while nothing is unread")
                try await app.hear([inboxMessage("1"), inboxMessage("2", .mention)], on: channel)
                for path in [dashboard, "\(dashboard)/calendar", "\(dashboard)/posts"] {
                    #expect(try await browser.get(path).text.contains(#"<span id="inbox-unread-count">2</span>"#), "\(path)")
                }
                let item = try await app.inboxItem("1")
                try await browser.get(InboxURL.item(ana.workspace.requireID(), item.requireID()))
                #expect(try await app.inboxItem("1").readAt != nil, "opening an item reads it")
                #expect(try await browser.get(dashboard).text.contains(#"<span id="inbox-unread-count">1</span>"#))
                // An item another process keeps (a worker of its own) counts once the count kept
                // for the navigation is a few seconds old.
                let elsewhere = Wiring(http: app.networkHTTP, sealer: CredentialSealer(secretKey: app.settings.secretKey), publicURL: nil)
                let connected = try #require(try await App.Channel.find(UUID(uuidString: channel), on: app.db))
                try await InboxService(db: app.db, wiring: elsewhere).take([inboxMessage("3")], from: connected)
                try await Task.sleep(for: .seconds(InboxUnreadCounts.maximumAge + 0.5))
                #expect(try await browser.get(dashboard).text.contains(#"<span id="inbox-unread-count">2</span>"#))
                #expect(!(try await browser.get(InboxURL.list(ana.workspace.requireID())).text.contains(#"class="inbox-item unread" id="item-\#(try item.requireID().uuidString)""#)))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDisconnectedChannelsItemsAreReadOnlyAndTheirHistoryCanBeDeleted(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                try await app.hear([inboxMessage("1", text: "Kept after the channel went"), inboxMessage("2")], on: channel)
                let disconnected = try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/channels/\(channel)", as: ana)
                #expect(disconnected.status == .noContent || disconnected.status == .ok, "\(disconnected.text)")
                let item = try await app.inboxItem("1")
                #expect(item.isReadOnly)
                let workspace = try ana.workspace.requireID()
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)

                let list = try await browser.get(InboxURL.list(workspace))
                #expect(list.text.contains("Kept after the channel went"))
                #expect(!list.text.contains(#"class="inline state-form""#), "no forms to work it")
                #expect(list.text.contains("Kept from disconnected channels"))
                let page = try await browser.get(InboxURL.item(workspace, item.requireID()))
                #expect(page.status == .ok)
                #expect(page.text.contains(#"id="read-only""#))
                let itemID = try item.requireID()
                #expect(!page.text.contains(InboxURL.answer(workspace, itemID)) && !page.text.contains(InboxURL.assignee(workspace, itemID)))
                #expect(try await browser.post(InboxURL.state(workspace, item.requireID()), ["state": "done"]).status == .conflict)

                let deleted = try await browser.post(InboxURL.deleteHistory(workspace), ["channel": item.channelHandle])
                #expect(deleted.status == .seeOther)
                #expect(try await InboxItem.query(on: app.db).count() == 0)
                #expect(!(try await browser.get(InboxURL.list(workspace)).text.contains("Kept from disconnected channels")))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAnswerIsSentAsAReplyAndTheItemIsDone(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                app.useInboxReader(ScriptedInboxReader())
                try await app.hear([inboxMessage("777", text: "Do you bake rye?")], on: channel)
                let item = try await app.inboxItem("777").requireID()
                let workspace = try ana.workspace.requireID()
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let page = try await browser.get(InboxURL.item(workspace, item))
                #expect(page.text.contains(#"data-prefix="@mia@town.example ""#), "the counter counts the handle the answer starts with")
                #expect(page.text.contains(#"name="done" value="on" checked"#), "mark done after sending is ticked")

                let empty = try await browser.post(InboxURL.answer(workspace, item), ["text": "   ", "done": "on"])
                #expect(empty.status == .unprocessableEntity)
                #expect(empty.text.contains("Write something"))
                #expect(try await Delivery.query(on: app.db).count() == 0)

                let sent = try await browser.post(InboxURL.answer(workspace, item), ["text": "Every Friday!", "done": "on"])
                #expect(sent.status == .seeOther)
                #expect(try await app.inboxItem("777").state == .done)
                try await app.publishDueDeliveries()
                let status = try #require(mastodon.controls.statuses.withLock { $0.first })
                #expect(status.text == "@mia@town.example Every Friday!")
                #expect(status.inReplyToID == "777")
                let after = try await browser.get(InboxURL.item(workspace, item))
                #expect(after.text.contains("@mia@town.example Every Friday!"))
                #expect(after.text.contains(#"<span class="badge state-published">published</span>"#))
                #expect(after.text.contains("https://bakery.example/@bakery/\(status.id)"))
                #expect(!(try await browser.get("/workspaces/\(ana.workspaceID)/posts").text.contains("Every Friday")), "an answer is not one of the posts")

                // Unticked, the item stays open.
                try await browser.post(InboxURL.state(workspace, item), ["state": "open"])
                try await browser.post(InboxURL.answer(workspace, item), ["text": "And Saturdays."])
                #expect(try await app.inboxItem("777").state == .open)
            }
        }
    }

    @Test func theConversationIsShownOrACalmSentenceSaysWhyNot() async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let reader = ScriptedInboxReader()
                app.useInboxReader(reader)
                try await app.hear([inboxMessage("12", text: "Yes please, two loaves", inReplyTo: "11")], on: channel)
                let item = try await app.inboxItem("12").requireID()
                let workspace = try ana.workspace.requireID()
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)

                reader.conversations.withLock {
                    $0 = .success([
                        inboxMessage("11", text: "Anyone want rye tomorrow?", name: "Corner Bakery", handle: "bakery@bakery.example"),
                        inboxMessage("12", text: "Yes please, two loaves"),
                    ])
                }
                let shown = try await browser.get(InboxURL.item(workspace, item))
                #expect(shown.text.contains("Anyone want rye tomorrow?"))
                #expect(shown.text.contains(#"<li class="this" aria-current="true">"#))

                reader.conversations.withLock { $0 = .failure(.unreachable(host: "bakery.example", reason: "connection refused")) }
                let down = try await browser.get(InboxURL.item(workspace, item))
                #expect(down.status == .ok, "a network that is down never makes the page fail")
                #expect(down.text.contains(#"id="conversation-note""#))
                #expect(down.text.contains("Yes please, two loaves"), "the message itself is still shown")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func savedRepliesAreAddedUsedAndDeleted(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let bob = try await app.makeMember("bob@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                try await app.hear([inboxMessage("3")], on: channel)
                let item = try await app.inboxItem("3").requireID()
                let workspace = try ana.workspace.requireID()
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)

                let missing = try await browser.post(InboxURL.savedReplies(workspace), ["title": "", "text": "We open at 7."])
                #expect(missing.status == .unprocessableEntity)
                #expect(missing.text.contains("Name it, so the team can find it.") && missing.text.contains("We open at 7."))
                let saved = try await browser.post(InboxURL.savedReplies(workspace), ["title": "Opening hours", "text": "We open at 7, <every> day."])
                #expect(saved.status == .seeOther)
                let reply = try #require(try await SavedReply.query(on: app.db).first())
                let list = try await browser.get(InboxURL.savedReplies(workspace))
                #expect(list.text.contains("Opening hours") && list.text.contains("We open at 7, &lt;every&gt; day."))

                let page = try await browser.get(InboxURL.item(workspace, item))
                #expect(page.text.contains(#"data-text="We open at 7, &lt;every&gt; day.">Opening hours</option>"#), "the picker offers it")
                let picked = try await browser.get(InboxURL.item(workspace, item) + "?reply=\(try reply.requireID().uuidString)")
                #expect(picked.text.contains(#"name="text" rows="5" aria-describedby="reply-counter">We open at 7, &lt;every&gt; day.</textarea>"#), "without JavaScript, the picker fills the box")

                let bobs = Browser(app)
                try await bobs.logIn("bob@example.com", bob.password)
                #expect(try await bobs.post(InboxURL.deleteSavedReply(bob.workspace.requireID(), reply.requireID())).status == .notFound)
                #expect(try await browser.post(InboxURL.deleteSavedReply(workspace, reply.requireID())).status == .seeOther)
                #expect(try await SavedReply.query(on: app.db).count() == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theEventStreamTellsAnOpenPageOfANewItem(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try await app.connectMastodon(ana, mastodon)
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                try await EventStreamReader.open(InboxURL.events(ana.workspace.requireID()), on: app, as: browser) { stream in
                    #expect(stream.status == .ok)
                    #expect(stream.contentType.hasPrefix("text/event-stream"))
                    try await stream.wait(for: ": listening")
                    try await app.hear([inboxMessage("1")], on: channel)
                    try await stream.wait(for: "event: inbox\ndata: {\"unread\":1}\n\n")
                }
            }
        }
    }

    /// A separate `trestle worker` keeps the items it hears; this process is not told, and finds
    /// them by looking at the database.
    @Test(arguments: TestDatabase.all)
    func theEventStreamSeesItemsKeptByAnotherProcess(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let channel = try #require(try await App.Channel.find(UUID(uuidString: try await app.connectMastodon(ana, mastodon)), on: app.db))
                let browser = Browser(app)
                try await browser.logIn("ana@example.com", ana.password)
                let elsewhere = Wiring(http: app.networkHTTP, sealer: CredentialSealer(secretKey: app.settings.secretKey), publicURL: nil)
                try await EventStreamReader.open(InboxURL.events(ana.workspace.requireID()), on: app, as: browser) { stream in
                    try await stream.wait(for: ": listening")
                    try await InboxService(db: app.db, wiring: elsewhere).take([inboxMessage("1"), inboxMessage("2")], from: channel)
                    try await stream.wait(for: "data: {\"unread\":2}", within: .seconds(10))
                }
            }
        }
    }

    @Test func theEventStreamEndsWhenThePageGoesAway() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            try await EventStreamReader.open(InboxURL.events(ana.workspace.requireID()), on: app, as: browser, endStreamsAfter: false) { stream in
                try await stream.wait(for: ": listening")
                #expect(app.wiring.inboxStreams.count == 1)
                try await stream.close()
                // The next heartbeat finds the page gone.
                let deadline = ContinuousClock.now + InboxEvents.heartbeat + .seconds(10)
                while app.wiring.inboxStreams.count > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
                #expect(app.wiring.inboxStreams.count == 0, "no stream is kept for a page that went away")
            }
        }
    }
}

/// Reads a server-sent event stream of a running Trestle over loopback, as a browser's
/// EventSource does, with the browser's session cookie.
final class EventStreamReader: Sendable {
    let status: HTTPResponseStatus
    let contentType: String
    private final class Received: Sendable {
        let text = Mutex("")
    }

    private let received: Received
    private let client: HTTPClient
    private let reading: Task<Void, Never>

    private init(status: HTTPResponseStatus, contentType: String, client: HTTPClient, body: HTTPClientResponse.Body) {
        self.status = status
        self.contentType = contentType
        self.client = client
        let received = Received()
        self.received = received
        reading = Task {
            do {
                for try await buffer in body { received.text.withLock { $0 += String(buffer: buffer) } }
            } catch {}
        }
    }

    static func open(
        _ path: String, on app: Application, as browser: Browser, endStreamsAfter: Bool = true, _ body: (EventStreamReader) async throws -> Void
    ) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        let client = HTTPClient(eventLoopGroup: HTTPClient.shared.eventLoopGroup)
        var stream: EventStreamReader?
        do {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            request.headers.add(name: .accept, value: "text/event-stream")
            let response = try await client.execute(request, timeout: .seconds(30))
            stream = EventStreamReader(status: response.status, contentType: response.headers.first(name: .contentType) ?? "", client: client, body: response.body)
            try await body(stream!)
        } catch {
            try? await stream?.close()
            try? await client.shutdown()
            if endStreamsAfter { app.wiring.inboxStreams.endAll() }
            await app.server.shutdown()
            throw error
        }
        try? await stream?.close()
        try? await client.shutdown()
        if endStreamsAfter { app.wiring.inboxStreams.endAll() }
        await app.server.shutdown()
    }

    /// Waits until the stream has said `text`.
    func wait(for text: String, within limit: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + limit
        while !received.text.withLock({ $0.contains(text) }) {
            guard ContinuousClock.now < deadline else {
                Issue.record("The stream did not say \(text.debugDescription) within \(limit); it said \(received.text.withLock { $0 }.debugDescription)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Goes away, as a closed tab does.
    func close() async throws {
        reading.cancel()
        _ = await reading.value
        try await client.shutdown()
    }
}
