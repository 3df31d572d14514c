@testable import App
import Fluent
import Foundation
import Networks
import Testing
import Vapor

/// Mastodon in the inbox: what people say to the account — replies, mentions, quotes, direct
/// messages — becomes items once, however it is heard (polls, the stream, both at once, across
/// restarts and dropped connections); likes, boosts and follows are counted; answers go back as
/// replies that reach the person.
@Suite struct MastodonInboxTests {
    typealias Person = FakeMastodon.Person

    /// A shop with its Mastodon channel connected and heard once, on a clock the test moves.
    private static func shop(_ app: Application, _ fake: FakeMastodon) async throws -> (ManualClock, Member, App.Channel) {
        let clock = ManualClock(Date())
        app.wiring.clock = clock
        let member = try await app.makeMember("ana@example.com")
        let channelID = try await app.connectMastodon(member, fake)
        let channel = try #require(try await App.Channel.find(UUID(uuidString: channelID), on: app.db))
        try await app.pollDueInboxes()
        return (clock, member, channel)
    }

    /// Publishes `text` on the channel through Trestle; returns the status id.
    private static func publish(_ text: String, _ app: Application, _ member: Member, _ channel: App.Channel, _ fake: FakeMastodon) async throws -> String {
        _ = try await app.createPost(member, #"{"text": "\#(text)", "channels": ["\#(try channel.requireID())"], "schedule": {"now": true}}"#)
        try await app.publishDueDeliveries()
        return try #require(fake.controls.statuses.withLock { $0.last { $0.text == text }?.id })
    }

    /// The next poll is due: moves the clock past the poll interval and runs it.
    private static func pollLater(_ app: Application, _ clock: ManualClock) async throws {
        clock.advance(by: TimeInterval(app.wiring.inboxPollSeconds + 1))
        try await app.pollDueInboxes()
    }

    private static func items(_ app: Application) async throws -> [InboxItem] {
        try await InboxItem.query(on: app.db).sort(\.$remoteID).all()
    }

    private static func readerState(_ app: Application, _ channel: App.Channel) async throws -> InboxReaderState {
        try #require(try await InboxReaderState.query(on: app.db).filter(\.$channel.$id == channel.requireID()).first())
    }

    // MARK: Polling

    @Test(arguments: TestDatabase.all)
    func repliesMentionsQuotesAndMessagesBecomeItemsOnceAndTheRestIsCounted(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                // setup
                let (clock, member, channel) = try await Self.shop(app, fake)
                let ours = try await Self.publish("Rye is back on Fridays", app, member, channel, fake)
                let reply = fake.reply(from: .ana, to: ours, "Save me two loaves!")
                let mention = fake.mention(from: .bea, "The best croissants in town are at")
                let quote = fake.quote(from: .cy, of: ours, "Finally.")
                let message = fake.directMessage(from: .dee, "Do you deliver on Sundays?")
                fake.favourite(from: .ana, of: ours)
                fake.favourite(from: .bea, of: ours)
                fake.boost(from: .cy, of: ours)
                fake.follow(from: .dee)

                // MUT
                try await Self.pollLater(app, clock)
                try await Self.pollLater(app, clock)

                // validate
                let items = try await Self.items(app)
                #expect(items.count == 4, "\(items.map(\.text))")
                let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.remoteID, $0) })
                let delivery = try #require(try await Delivery.query(on: app.db).filter(\.$remoteID == ours).first())
                let asReply = try #require(byID[reply.id])
                #expect(asReply.kind == .reply)
                #expect(asReply.deliveryID == delivery.id && asReply.postID == delivery.$post.id, "the reply is linked to the post it answers")
                #expect(asReply.inReplyToRemoteID == ours)
                #expect(asReply.authorHandle == "ana@pastry.example" && asReply.authorName == "Ana Flour")
                #expect(asReply.authorAvatarURL == "https://files.pastry.example/avatars/2001.png")
                #expect(asReply.text == "@bakery Save me two loaves!")
                #expect(asReply.remoteURL == "https://pastry.example/@ana/\(reply.id)")
                #expect(!asReply.isPrivate)
                let asMention = try #require(byID[mention.id])
                #expect(asMention.kind == .mention && asMention.deliveryID == nil)
                #expect(asMention.authorHandle == "bea@bakery.example", "a local account's handle carries the instance's domain")
                #expect(asMention.authorName == "bea", "no display name: the username")
                let asQuote = try #require(byID[quote.id])
                #expect(asQuote.kind == .quote && asQuote.inReplyToRemoteID == ours && asQuote.deliveryID == delivery.id)
                #expect(asQuote.authorName == "Cy <Rye>")
                let asMessage = try #require(byID[message.id])
                #expect(asMessage.kind == .message && asMessage.isPrivate)
                #expect(asMessage.authorHandle == "Dee@crumb.example")
                let counts = try await app.wiring.inbox(on: app.db).engagement(of: channel)
                #expect(counts == [.like: 2, .repost: 1, .follow: 1], "counted once, though polled twice")
                #expect(try await Self.readerState(app, channel).cursor == fake.newestNotificationID)
                let asked = fake.server.requests.filter { $0.path == "/api/v1/notifications" }
                #expect(asked.allSatisfy { $0.authorization == "Bearer good-token" })
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func markupFromTheInstanceIsMadeSafe(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let (clock, _, _) = try await Self.shop(app, fake)
                let hostile = #"<p>Hi <script>alert('x')</script><a href="javascript:alert(1)">click</a> <a href="https://pastry.example/menu" onclick="steal()" class="x">see <span class="invisible">https://</span>menu</a><img src=x onerror=alert(2)></p><p>&lt;b&gt;bold&lt;/b&gt; &amp; <style>p{}</style>done"#
                fake.mention(from: .ana, "ignored", html: hostile)
                try await Self.pollLater(app, clock)
                let item = try #require(try await Self.items(app).first)
                #expect(item.html == #"<p>Hi click <a href="https://pastry.example/menu" rel="nofollow noopener noreferrer" target="_blank">see https://menu</a></p><p>&lt;b&gt;bold&lt;/b&gt; &amp; done</p>"#)
                #expect(!item.html.contains("script") && !item.html.contains("javascript") && !item.html.contains("onclick") && !item.html.contains("onerror"))
            }
        }
    }

    /// A channel just connected starts with the newest page, not with the account's whole past;
    /// from then on every notification is read, however many come between two polls.
    @Test(arguments: TestDatabase.all)
    func aNewChannelStartsWithTheNewestPageAndThenMissesNothing(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                for number in 1...90 { fake.mention(from: .ana, "Old \(number)") }
                let (clock, _, channel) = try await Self.shop(app, fake)
                #expect(try await Self.items(app).count == 80, "only the newest page")
                for number in 1...170 { fake.mention(from: .cy, "New \(number)") }
                try await Self.pollLater(app, clock)
                let items = try await Self.items(app)
                #expect(items.count == 250)
                #expect(Set(items.filter { $0.authorHandle == "cy@rye.example" }.map(\.text)).count == 170)
                #expect(try await Self.readerState(app, channel).cursor == fake.newestNotificationID)
            }
        }
    }

    /// A backlog is read ten pages at a time, each reading stored before the next is taken.
    @Test func aBacklogIsReadInBoundedReadingsWithinOnePoll() async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let (clock, _, channel) = try await Self.shop(app, fake)
                fake.mention(from: .ana, "The first")
                try await Self.pollLater(app, clock)
                for number in 1...850 { fake.mention(from: .bea, "Backlog \(number)") }
                let asked = fake.server.requests.filter { $0.path == "/api/v1/notifications" }.count
                try await Self.pollLater(app, clock)
                #expect(try await Self.items(app).count == 851)
                #expect(fake.server.requests.filter { $0.path == "/api/v1/notifications" }.count - asked == 11,
                        "ten full pages, then a reading of its own for the rest")
                #expect(try await Self.readerState(app, channel).cursor == fake.newestNotificationID)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func nothingIsRepeatedOrMissedAcrossARestart(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                // setup
                let (clock, member, channel) = try await Self.shop(app, fake)
                let ours = try await Self.publish("Open late tonight", app, member, channel, fake)
                for number in 1...3 { fake.reply(from: .ana, to: ours, "Before \(number)") }
                try await Self.pollLater(app, clock)
                let cursor = try await Self.readerState(app, channel).cursor
                #expect(cursor == fake.newestNotificationID)
                for number in 1...5 { fake.reply(from: .bea, to: ours, "After \(number)") }
                fake.favourite(from: .cy, of: ours)

                // MUT: another process, wired anew, on the same database.
                let restarted = Wiring(http: app.networkHTTP, sealer: CredentialSealer(secretKey: app.settings.secretKey), publicURL: nil)
                clock.advance(by: 61)
                restarted.clock = clock
                try await InboxService(db: app.db, wiring: restarted).poll(try await Self.readerState(app, channel))
                try await InboxService(db: app.db, wiring: restarted).poll(try await Self.readerState(app, channel))

                // validate
                let items = try await Self.items(app)
                #expect(items.count == 8)
                #expect(Set(items.map(\.remoteID)).count == 8)
                #expect(items.allSatisfy { $0.kind == .reply })
                #expect(try await Self.readerState(app, channel).cursor == fake.newestNotificationID)
                #expect(try await app.wiring.inbox(on: app.db).engagement(of: channel) == [.like: 1])
            }
        }
    }

    // MARK: Streaming

    /// Runs one turn of the channel's stream job in the background, as a worker would.
    private static func streamTurn(_ app: Application, _ fake: FakeMastodon) async throws -> Task<JobOutcome, any Error> {
        let job = try #require(try await app.wiring.jobs(on: app.db).claim(InboxService.streamJob, owner: "test", limit: 1, lease: 900).first)
        let turn = Task { try await app.wiring.inbox(on: app.db).stream(job: job) }
        try await Self.eventually("the stream is open") { fake.controls.inbox.openStreams == 1 }
        return turn
    }

    /// Waits, briefly, for what a background task brings about.
    private static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("Not within 10 seconds: \(what)")
    }

    @Test(arguments: TestDatabase.all)
    func theStreamAndOverlappingPollsKeepEachItemOnce(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let (clock, member, channel) = try await Self.shop(app, fake)
                let ours = try await Self.publish("Scones today", app, member, channel, fake)
                let turn = try await Self.streamTurn(app, fake)
                let reply = fake.reply(from: .ana, to: ours, "Heard it live")
                fake.favourite(from: .bea, of: ours)
                try await Self.eventually("the reply is heard") { try await Self.items(app).count == 1 }
                #expect(try await Self.items(app).first?.remoteID == reply.id)
                #expect(try await Self.items(app).first?.deliveryID != nil)
                #expect(try await Self.readerState(app, channel).streamingSince != nil)

                // Two polls at once beside the stream read the same notifications again.
                clock.advance(by: 61)
                let service = app.wiring.inbox(on: app.db)
                async let first: Void = service.poll(try await Self.readerState(app, channel))
                async let second: Void = service.poll(try await Self.readerState(app, channel))
                _ = try await (first, second)
                let mention = fake.mention(from: .cy, "And again")
                try await Self.eventually("the mention is heard") { try await Self.items(app).count == 2 }
                try await Self.pollLater(app, clock)

                let items = try await Self.items(app)
                #expect(items.map(\.remoteID).sorted() == [reply.id, mention.id].sorted())
                fake.controls.inbox.dropStreams()
                #expect(try await turn.value == .done)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDroppedStreamFallsBackToPollingWithoutLosingWhatWasSaidMeanwhile(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let (_, member, channel) = try await Self.shop(app, fake)
                let ours = try await Self.publish("Bread club starts Monday", app, member, channel, fake)
                let turn = try await Self.streamTurn(app, fake)
                let heard = fake.reply(from: .ana, to: ours, "Sign me up")
                try await Self.eventually("the reply is heard") { try await Self.items(app).count == 1 }

                // MUT: the connection drops; someone speaks before it is open again.
                fake.controls.inbox.dropStreams()
                #expect(try await turn.value == .done)
                #expect(try await Self.readerState(app, channel).streamingSince == nil)
                let meanwhile = fake.directMessage(from: .dee, "Is there a waiting list?")
                // The turn's end queued a poll for now: no time passes.
                #expect(try await app.pollDueInboxes() == 1)

                let items = try await Self.items(app)
                #expect(items.map(\.remoteID).sorted() == [heard.id, meanwhile.id].sorted())
                #expect(items.first { $0.remoteID == meanwhile.id }?.isPrivate == true)
                let next = try #require(try await app.wiring.jobs(on: app.db).claim(InboxService.streamJob, owner: "test", limit: 1, lease: 60).first,
                                        "the next turn of the stream is queued at once")
                #expect(next.kind == InboxService.streamJob)
            }
        }
    }

    @Test func aStreamThatFallsSilentIsGivenUp() async throws {
        try await FakeMastodon.with(.init(heartbeat: nil)) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let stream = MastodonNotificationStream(http: app.networkHTTP, idleTimeout: .milliseconds(400))
                let account = PublishingAccount(server: URL(string: fake.url)!, accountID: "10984", credentials: NetworkCredentials(accessToken: "good-token"))
                let started = ContinuousClock.now
                do {
                    for try await message in stream.messages(as: account) { Issue.record("nothing was said: \(message)") }
                    Issue.record("a silent stream must not end as if the server closed it")
                } catch let error as NetworkError {
                    #expect(error == .timedOut(host: "127.0.0.1"))
                }
                #expect(ContinuousClock.now - started < .seconds(5))
            }
        }
    }

    @Test func aListenerThatStopsClosesTheConnection() async throws {
        try await FakeMastodon.with(.init(heartbeat: .milliseconds(50))) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let stream = MastodonNotificationStream(http: app.networkHTTP)
                let account = PublishingAccount(server: URL(string: fake.url)!, accountID: "10984", credentials: NetworkCredentials(accessToken: "good-token"))
                let listening = Task { for try await _ in stream.messages(as: account) {} }
                try await Self.eventually("the stream is open") { fake.controls.inbox.openStreams == 1 }
                listening.cancel()
                // The fake notices at its next heartbeat that nobody listens any more.
                try await Self.eventually("the connection is closed") { fake.controls.inbox.openStreams == 0 }
            }
        }
    }

    @Test func theStreamingAddressPassesTheSameAddressPolicy() async throws {
        try await FakeMastodon.with(.init(streamingURL: "wss://10.20.30.40")) { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let stream = MastodonNotificationStream(http: app.networkHTTP)
                let account = PublishingAccount(server: URL(string: fake.url)!, accountID: "10984", credentials: NetworkCredentials(accessToken: "good-token"))
                do {
                    for try await _ in stream.messages(as: account) {}
                    Issue.record("a private streaming address must be refused")
                } catch let error as NetworkError {
                    #expect(error == .refusedAddress(host: "10.20.30.40"))
                }
            }
        }
    }

    @Test func aRevokedTokenEndsTheStreamAsUnauthorized() async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                fake.controls.revoke("good-token")
                let stream = MastodonNotificationStream(http: app.networkHTTP)
                let account = PublishingAccount(server: URL(string: fake.url)!, accountID: "10984", credentials: NetworkCredentials(accessToken: "good-token"))
                do {
                    for try await _ in stream.messages(as: account) {}
                    Issue.record("expected unauthorized")
                } catch let error as NetworkError {
                    guard case .unauthorized = error else { Issue.record("\(error)"); return }
                }
            }
        }
    }

    // MARK: Answering

    /// The same through the API a team's tools use: the item, answered, shows its conversation
    /// and its answer.
    @Test(arguments: TestDatabase.all)
    func aDirectMessageAnsweredThroughTheAPIStaysDirect(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let (clock, member, _) = try await Self.shop(app, fake)
                let message = fake.directMessage(from: .dee, "Can I order a <b>cake</b>?")
                try await Self.pollLater(app, clock)
                let item = try #require(try await app.inbox(member, query: "?kind=message").first)
                #expect(item["private"] as? Bool == true)
                #expect((item["author"] as? [String: Any])?["handle"] as? String == "Dee@crumb.example")
                #expect((item["html"] as? String)?.contains("&lt;b&gt;cake&lt;/b&gt;") == true, "\(item)")
                let id = try #require(item["id"] as? String)
                let path = "/api/v1/workspaces/\(member.workspaceID)/inbox/\(id)"

                let sent = try await app.api(.POST, "\(path)/reply", as: member, json: #"{"text": "Yes! Which day?", "markDone": true}"#)
                #expect(sent.status == .created, "\(sent.text)")
                try await app.publishDueDeliveries()
                let answer = try #require(fake.controls.statuses.withLock { $0.last })
                #expect(answer.inReplyToID == message.id && answer.visibility == "direct")
                #expect(answer.text == "@Dee@crumb.example Yes! Which day?")

                let shown = try await app.api(.GET, path, as: member).json()
                #expect(shown["state"] as? String == "done")
                let conversation = try #require(shown["conversation"] as? [[String: Any]], "\(shown)")
                #expect(conversation.compactMap { $0["text"] as? String } == ["@bakery Can I order a <b>cake</b>?", "@Dee@crumb.example Yes! Which day?"])
                #expect((shown["answers"] as? [[String: Any]])?.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAnswerRepliesToTheStatusAndMentionsItsAuthor(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let (clock, member, channel) = try await Self.shop(app, fake)
                let ours = try await Self.publish("Pretzels!", app, member, channel, fake)
                let reply = fake.reply(from: .ana, to: ours, "Salted?")
                let message = fake.directMessage(from: .dee, "A private order, please", replyingTo: ours)
                try await Self.pollLater(app, clock)
                let items = try await Self.items(app)
                let asReply = try #require(items.first { $0.remoteID == reply.id })
                let asMessage = try #require(items.first { $0.remoteID == message.id })
                #expect(asMessage.kind == .message, "a direct status that answers us stays a message, so its answer stays direct")

                let inbox = app.wiring.inbox(on: app.db)
                _ = try await inbox.answer(asReply, with: "Yes, with coarse salt.", by: member.user)
                _ = try await inbox.answer(asMessage, with: "Of course, @dee@crumb.example: how many?", by: member.user)
                try await app.publishDueDeliveries()

                let statuses = fake.controls.statuses.withLock { $0 }
                let answer = try #require(statuses.first { $0.inReplyToID == reply.id })
                #expect(answer.text == "@ana@pastry.example Yes, with coarse salt.")
                #expect(answer.visibility == "public")
                let private_ = try #require(statuses.first { $0.inReplyToID == message.id })
                #expect(private_.text == "Of course, @dee@crumb.example: how many?", "already named: not named twice")
                #expect(private_.visibility == "direct")

                let conversation = try await inbox.conversation(of: asReply)
                #expect(conversation.map(\.remoteID) == [ours, reply.id, answer.id], "oldest first, the answer included")
                #expect(conversation[1].kind == .reply)
            }
        }
    }
}
