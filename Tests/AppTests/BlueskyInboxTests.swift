@testable import App
import Fluent
import Foundation
import Networks
import Testing
import TextRules
import Vapor

/// Hearing a Bluesky account: its replies, mentions and quotes become inbox items once each,
/// with their links, mentions and tags as safe links and linked to the post of ours they
/// answer; likes, reposts and follows are counted; a backlog is read to the last notification
/// across polls and restarts, never twice; and an answer goes out as a reply in the thread.
@Suite struct BlueskyInboxTests {
    static let flour = FakeBluesky.known[2]

    /// Ana, her Bluesky channel, one post of hers published there, and the inbox's first
    /// reading done (a channel just connected reads only what is there now).
    private static func bakery(_ app: Application, _ fake: FakeBluesky, clock: ManualClock) async throws -> (Member, App.Channel, Delivery, BlueskyRecordRef) {
        app.wiring.clock = clock
        let ana = try await app.makeMember("ana@example.com")
        let channelID = try await app.connectBluesky(ana, fake)
        _ = try await app.createPost(ana, #"{"text": "Rye is back on Tuesday", "channels": ["\#(channelID)"], "schedule": {"now": true}}"#)
        try await app.publishDueDeliveries()
        let channel = try #require(try await App.Channel.find(UUID(uuidString: channelID), on: app.db))
        let delivery = try #require(try await Delivery.query(on: app.db).filter(\.$channel.$id == channel.requireID()).first())
        let post = try #require(fake.ourPosts.first)
        #expect(delivery.remoteID == post.uri)
        try await app.pollDueInboxes()
        return (ana, channel, delivery, post)
    }

    private static func items(_ app: Application, _ channel: App.Channel) async throws -> [InboxItem] {
        try await InboxItem.query(on: app.db).filter(\.$channel.$id == channel.requireID()).sort(\.$saidAt).sort(\.$remoteID).all()
    }

    /// Polls once more, a poll interval later.
    private static func pollAgain(_ app: Application, _ clock: ManualClock) async throws {
        clock.advance(by: 61)
        try await app.pollDueInboxes()
    }

    @Test(arguments: TestDatabase.all)
    func repliesMentionsAndQuotesBecomeItemsOnceAndEngagementIsCounted(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                // setup
                let clock = ManualClock()
                let (ana, channel, delivery, ours) = try await Self.bakery(app, fake, clock: clock)
                let reply = try fake.reply(from: FakeBluesky.miller, to: ours, text: "@bakery.bsky.social is it <b>spelt</b> & rye? millhouse.com/flour #baking")
                try fake.mention(from: Self.flour, text: "Best loaves in town: @bakery.bsky.social 🥖")
                try fake.quote(ours, from: FakeBluesky.miller, text: "Tuesday then!")
                try fake.like(ours, from: FakeBluesky.miller)
                try fake.like(ours, from: Self.flour)
                try fake.like(reply, from: Self.flour)  // someone else's post: not the bakery's to hear
                try fake.repost(ours, from: Self.flour)
                try fake.follow(from: Self.flour)

                // MUT
                try await Self.pollAgain(app, clock)
                try await Self.pollAgain(app, clock)

                // validate
                let shown = try await app.inbox(ana)
                #expect(shown.compactMap { $0["kind"] as? String }.sorted() == ["mention", "quote", "reply"])
                let items = try await Self.items(app, channel)
                #expect(items.map(\.kind) == [.reply, .mention, .quote])
                let answer = items[0]
                #expect(answer.remoteID == reply.uri && answer.remoteCID == reply.cid)
                #expect(answer.deliveryID == delivery.id && answer.postID == delivery.$post.id)
                #expect(answer.inReplyToRemoteID == ours.uri)
                #expect(answer.root == PublishedPart(remoteID: ours.uri, url: nil, cid: ours.cid))
                #expect(answer.authorName == "The Miller" && answer.authorHandle == "miller.bsky.social")
                #expect(answer.authorURL == "https://bsky.app/profile/miller.bsky.social")
                #expect(answer.authorAvatarURL?.hasPrefix("https://cdn.bsky.app/") == true)
                #expect(answer.remoteURL == "https://bsky.app/profile/miller.bsky.social/post/\(reply.uri.split(separator: "/").last!)")
                #expect(answer.text == "@bakery.bsky.social is it <b>spelt</b> & rye? millhouse.com/flour #baking")
                let link = #"rel="nofollow noopener noreferrer" target="_blank">"#
                #expect(answer.html == """
                    <p><a href="https://bsky.app/profile/\(FakeBluesky.bakery.did)" \(link)@bakery.bsky.social</a> is it &lt;b&gt;spelt&lt;/b&gt; &amp; rye? \
                    <a href="https://millhouse.com/flour" \(link)millhouse.com/flour</a> <a href="https://bsky.app/hashtag/baking" \(link)#baking</a></p>
                    """)
                #expect(items[1].inReplyToRemoteID == nil && items[1].root == nil && items[1].deliveryID == nil)
                #expect(items[1].html.contains("🥖"))
                #expect(items[2].inReplyToRemoteID == ours.uri && items[2].deliveryID == delivery.id)
                let counts = try await app.wiring.inbox(on: app.db).engagement(of: channel)
                #expect(counts == [.like: 2, .repost: 1, .follow: 1])
                // Only the reasons an inbox uses are asked for, a full page at a time.
                let query = try #require(fake.controls.notificationQueries.withLock { $0.last })
                #expect(query.contains("limit=100") && query.contains("reasons=reply") && query.contains("reasons=follow") && !query.contains("reasons=starterpack"))
                try await Self.expectLexiconAnswers(app, fake, thread: reply.uri)
            }
        }
    }

    /// The fake answers as the lexicons say, so what the reader is tested against is the service.
    private static func expectLexiconAnswers(_ app: Application, _ fake: FakeBluesky, thread uri: String) async throws {
        let lexicon = try Lexicon()
        let token = "Bearer " + fake.controls.accessToken(for: FakeBluesky.bakery.did)
        let list = try await app.networkHTTP.send(.GET, URL(string: "\(fake.url)/xrpc/app.bsky.notification.listNotifications?limit=100")!, headers: ["Authorization": token])
        let page = try #require(try JSONSerialization.jsonObject(with: list.body) as? [String: Any])
        #expect(lexicon.problems(inOutputOf: "app.bsky.notification.listNotifications", page) == [])
        for notification in page["notifications"] as? [[String: Any]] ?? [] where ["reply", "mention", "quote"].contains(notification["reason"] as? String) {
            let problems = lexicon.problems(in: try #require(notification["record"] as? [String: Any]), as: "app.bsky.feed.post")
            #expect(problems == [], "\(problems)")
        }
        let encoded = uri.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let thread = try await app.networkHTTP.send(.GET, URL(string: "\(fake.url)/xrpc/app.bsky.feed.getPostThread?uri=\(encoded)")!, headers: ["Authorization": token])
        let threadProblems = lexicon.problems(inOutputOf: "app.bsky.feed.getPostThread", try #require(try JSONSerialization.jsonObject(with: thread.body) as? [String: Any]))
        #expect(threadProblems == [], "\(threadProblems)")
    }

    @Test(arguments: TestDatabase.all)
    func aBacklogLargerThanOnePollIsReadToTheLastNotificationExactlyOnce(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                let (_, channel, _, ours) = try await Self.bakery(app, fake, clock: clock)
                // One notification a page: 250 pages, more than one poll reads (25 readings of 5 pages).
                fake.controls.pageSize.withLock { $0 = 1 }
                for number in 1...250 {
                    if number % 5 == 0 { try fake.like(ours, from: Self.flour) } else { try fake.reply(from: FakeBluesky.miller, to: ours, text: "Question \(number)") }
                }

                try await Self.pollAgain(app, clock)
                let halfway = try await Self.items(app, channel)
                #expect(halfway.count > 0 && halfway.count < 200)
                // More arrives while the backlog is read; it is read after.
                for number in 251...260 { try fake.reply(from: FakeBluesky.miller, to: ours, text: "Question \(number)") }
                try await Self.pollAgain(app, clock)
                try await Self.pollAgain(app, clock)
                try await Self.pollAgain(app, clock)

                let texts = try await Self.items(app, channel).map(\.text)
                let expected = (1...260).filter { $0 > 250 || $0 % 5 != 0 }.map { "Question \($0)" }
                #expect(texts.sorted() == expected.sorted())
                #expect(try await app.wiring.inbox(on: app.db).engagement(of: channel) == [.like: 50])
                // Each page was asked for once: 260 of one notification, and a few to find the ends.
                #expect(fake.controls.notificationQueries.withLock { $0.count } < 275)
            }
        }
    }

    /// Many notifications at one instant, across pages and polls: each counted once, because
    /// the cursor keeps the ids read at its instant.
    @Test(arguments: TestDatabase.all)
    func notificationsSharingOneInstantAreReadOnce(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                let (_, channel, _, ours) = try await Self.bakery(app, fake, clock: clock)
                fake.controls.pageSize.withLock { $0 = 7 }
                fake.stopClock()
                for number in 1...35 {
                    if number.isMultiple(of: 7) { try fake.reply(from: FakeBluesky.miller, to: ours, text: "At once \(number)") } else { try fake.like(ours, from: Self.flour) }
                }
                try await Self.pollAgain(app, clock)
                for _ in 1...5 { try fake.like(ours, from: FakeBluesky.miller) }
                try await Self.pollAgain(app, clock)
                fake.startClock()
                try fake.like(ours, from: FakeBluesky.miller)
                try await Self.pollAgain(app, clock)
                try await Self.pollAgain(app, clock)

                #expect(try await Self.items(app, channel).map(\.text).sorted() == [7, 14, 21, 28, 35].map { "At once \($0)" }.sorted())
                #expect(try await app.wiring.inbox(on: app.db).engagement(of: channel) == [.like: 30 + 5 + 1])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRestartedWorkerContinuesTheReadingWhereItStopped(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                let (_, channel, _, ours) = try await Self.bakery(app, fake, clock: clock)
                fake.controls.pageSize.withLock { $0 = 1 }
                for number in 1...200 {
                    if number.isMultiple(of: 4) { try fake.repost(ours, from: Self.flour) } else { try fake.mention(from: Self.flour, text: "Mention \(number)") }
                }
                try await Self.pollAgain(app, clock)
                let beforeRestart = try await Self.items(app, channel).count
                #expect(beforeRestart > 0 && beforeRestart < 150)
                for number in 201...210 { try fake.mention(from: FakeBluesky.miller, text: "Mention \(number)") }

                // A new process: its own wiring, sessions and readers, on the same database.
                let restarted = Wiring(http: app.wiring.http, sealer: app.wiring.sealer, publicURL: nil)
                restarted.clock = clock
                for _ in 0..<3 {
                    clock.advance(by: 61)
                    let runner = JobRunner(queue: restarted.jobs(on: app.db), node: "restarted", kinds: [
                        JobKind(name: InboxService.pollJob, concurrency: 1, handler: { job in try await restarted.inbox(on: app.db).poll(job: job) }),
                    ])
                    _ = try await runner.drain(InboxService.pollJob)
                }

                let texts = try await Self.items(app, channel).map(\.text)
                let expected = (1...210).filter { $0 > 200 || !$0.isMultiple(of: 4) }.map { "Mention \($0)" }
                #expect(texts.sorted() == expected.sorted())
                #expect(try await app.wiring.inbox(on: app.db).engagement(of: channel) == [.repost: 50])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAnswerIsAReplyToTheItemInItsThread(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                let (ana, channel, _, ours) = try await Self.bakery(app, fake, clock: clock)
                let question = try fake.reply(from: FakeBluesky.miller, to: ours, text: "Spelt too?")
                try await Self.pollAgain(app, clock)
                let item = try #require(try await Self.items(app, channel).first)

                // MUT: the answer, then the next question under it, and its answer.
                let inbox = app.wiring.inbox(on: app.db)
                _ = try await inbox.answer(item, with: "Yes, from Thursday.", by: ana.user)
                try await app.publishDueDeliveries()
                let answer = try #require(fake.ourPosts.last)
                let followUp = try fake.reply(from: FakeBluesky.miller, to: answer, text: "Wonderful, thanks")
                try await Self.pollAgain(app, clock)
                let second = try #require(try await Self.items(app, channel).first { $0.remoteID == followUp.uri })
                #expect(second.root == PublishedPart(remoteID: ours.uri, url: nil, cid: ours.cid))
                // The second through the API, as a person answers.
                let reply = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(try second.requireID())/reply", as: ana, json: #"{"text": "See you then!"}"#)
                #expect(reply.status == .created || reply.status == .ok, "\(reply.text)")
                try await app.publishDueDeliveries()

                // validate: each answer names the item as its parent and our post as the root.
                let lexicon = try Lexicon()
                let records = fake.controls.recordObjects
                #expect(records.count == 3)
                for record in records { #expect(lexicon.problems(in: record, as: "app.bsky.feed.post") == [], "\(record)") }
                let firstReply = try #require(records[1]["reply"] as? [String: [String: String]])
                #expect(firstReply["parent"] == ["uri": question.uri, "cid": question.cid])
                #expect(firstReply["root"] == ["uri": ours.uri, "cid": ours.cid])
                let secondReply = try #require(records[2]["reply"] as? [String: [String: String]])
                #expect(secondReply["parent"] == ["uri": followUp.uri, "cid": followUp.cid])
                #expect(secondReply["root"] == ["uri": ours.uri, "cid": ours.cid])

                // The conversation, oldest first, as the thread has it now, and as the API shows it.
                let shown = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/inbox/\(try second.requireID())", as: ana).json()
                #expect((shown["conversation"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
                    == ["Rye is back on Tuesday", "Spelt too?", "Yes, from Thursday.", "Wonderful, thanks", "See you then!"], "\(shown)")
                let conversation = try await inbox.conversation(of: second)
                #expect(conversation.map(\.text) == ["Rye is back on Tuesday", "Spelt too?", "Yes, from Thursday.", "Wonderful, thanks", "See you then!"])
                #expect(conversation.map(\.author.handle) == ["bakery.bsky.social", "miller.bsky.social", "bakery.bsky.social", "miller.bsky.social", "bakery.bsky.social"])
                #expect(conversation[3].remoteID == followUp.uri && conversation[3].cid == followUp.cid)
                try await Self.expectLexiconAnswers(app, fake, thread: followUp.uri)
            }
        }
    }

    @Test func aConversationLeavesOutDeletedAndBlockedPosts() async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                let (_, channel, _, ours) = try await Self.bakery(app, fake, clock: clock)
                let first = try fake.reply(from: FakeBluesky.miller, to: ours, text: "First")
                let second = try fake.reply(from: Self.flour, to: first, text: "Second")
                let third = try fake.reply(from: FakeBluesky.miller, to: second, text: "Third")
                try fake.reply(from: Self.flour, to: third, text: "Blocked reply")
                try fake.reply(from: FakeBluesky.miller, to: third, text: "Fourth")
                try await Self.pollAgain(app, clock)
                let item = try #require(try await Self.items(app, channel).first { $0.remoteID == third.uri })

                fake.delete(first)
                fake.controls.blockedAuthors.withLock { $0 = [Self.flour.did] }
                // A blocked author's posts are not shown, nor what is above them.
                #expect(try await app.wiring.inbox(on: app.db).conversation(of: item).map(\.text) == ["Third", "Fourth"])

                fake.controls.blockedAuthors.withLock { $0 = [] }
                #expect(try await app.wiring.inbox(on: app.db).conversation(of: item).map(\.text) == ["Second", "Third", "Blocked reply", "Fourth"])
                fake.delete(third)
                #expect(try await app.wiring.inbox(on: app.db).conversation(of: item) == [])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theInboxSharesPublishingsSessionAndRefreshesItWhenItExpires(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                let (_, channel, _, ours) = try await Self.bakery(app, fake, clock: clock)
                try await Self.pollAgain(app, clock)
                func calls(_ method: String) -> Int { fake.server.requests.filter { $0.path.hasSuffix(method) }.count }
                // Connecting logged in; publishing refreshed that session once, and the readings used it.
                #expect(calls("createSession") == 1)
                #expect(calls("refreshSession") == 1)

                fake.controls.expireAccessTokens()
                try fake.mention(from: FakeBluesky.miller, text: "Still there?")
                try await Self.pollAgain(app, clock)
                #expect(try await Self.items(app, channel).map(\.text) == ["Still there?"])
                #expect(calls("refreshSession") == 2)
                let credentials = try app.wiring.channels(on: app.db).credentials(of: try #require(try await App.Channel.find(channel.id, on: app.db)))
                #expect(credentials.refreshJwt == "refresh-\(FakeBluesky.bakery.did)-rotated")

                // Nothing left to log in with: the channel asks to be connected again.
                fake.controls.expireAccessTokens()
                fake.controls.refreshExpired.withLock { $0 = true }
                fake.controls.revokedPasswords.withLock { $0.insert(FakeBluesky.bakery.appPassword) }
                try fake.like(ours, from: Self.flour)
                try await Self.pollAgain(app, clock)
                let reconnect = try #require(try await App.Channel.find(channel.id, on: app.db))
                #expect(reconnect.status == .needsReconnect)
                #expect(try await app.wiring.inbox(on: app.db).engagement(of: reconnect) == [:])
            }
        }
    }

    /// Facets whose offsets do not fit the text are not followed: the words are shown plain.
    @Test func hostileFacetsGiveEscapedText() throws {
        let text = "Café <script> 🇫🇷 ok"
        let plain = SafeHTML.paragraphs(text)
        let bytes = text.utf8.count
        func facet(_ start: Int, _ end: Int, _ feature: BlueskyFacet.Feature = .link(uri: "https://example.com")) -> BlueskyFacet {
            BlueskyFacet(index: .init(byteStart: start, byteEnd: end), features: [feature])
        }
        let hostile: [[BlueskyFacet]] = [
            [facet(0, bytes + 1)], [facet(-1, 3)], [facet(4, 4)], [facet(5, 2)], [facet(Int.max - 1, Int.max)], [facet(Int.min, 0)],
            [facet(0, 4), facet(2, 6)],  // overlapping
            [facet(0, 4)],  // ends inside é (C3 A9)
            [facet(15, 19)],  // between the flag's two regional indicators
        ]
        for facets in hostile {
            #expect(BlueskyRichText.html(text, facets: facets) == plain, "\(facets)")
        }
        // In order or not, fitting facets link; a link that is not http(s) stays words.
        #expect(BlueskyRichText.html(text, facets: [facet(6, 14, .link(uri: "javascript:alert(1)")), facet(0, 5)])
            == #"<p><a href="https://example.com" rel="nofollow noopener noreferrer" target="_blank">Café</a> &lt;script&gt; 🇫🇷 ok</p>"#)
        #expect(BlueskyRichText.html(text, facets: [facet(0, 6)], hasUnreadableFacet: true) == plain)
    }

    @Test(arguments: TestDatabase.all)
    func aPostWithHostileFacetsIsKeptAsEscapedText(_ database: TestDatabase) async throws {
        try await FakeBluesky.with { fake in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let clock = ManualClock()
                let (_, channel, _, ours) = try await Self.bakery(app, fake, clock: clock)
                let text = "Crème <i>brûlée</i>\n\nAnd more"
                let facets = [
                    #"[{"index": {"byteStart": 0, "byteEnd": 9999}, "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://a.example"}]}]"#,
                    #"[{"index": {"byteStart": 0, "byteEnd": 3}, "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://a.example"}]}]"#,
                    #"[{"index": {"byteStart": "zero", "byteEnd": 4}, "features": []}]"#,
                    #"[{"index": {"byteStart": 0, "byteEnd": 5}, "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://a.example"}]}, {"index": {"byteStart": 3, "byteEnd": 8}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "x"}]}]"#,
                    #"{"not": "a list"}"#,
                ]
                for raw in facets { try fake.reply(from: FakeBluesky.miller, to: ours, text: text, rawFacets: raw) }
                try await Self.pollAgain(app, clock)
                let items = try await Self.items(app, channel)
                #expect(items.count == facets.count)
                #expect(items.allSatisfy { $0.html == "<p>Crème &lt;i&gt;brûlée&lt;/i&gt;</p><p>And more</p>" }, "\(items.map(\.html))")
            }
        }
    }
}
