import AsyncHTTPClient
import Foundation
import Fuzzing
@testable import Networks
import Testing

/// What a Mastodon notification is to an inbox — a reply, mention, quote or direct message, or
/// a count — read within bounds from any server, and an answer's text that reaches its author.
@Suite struct MastodonNotificationTests {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)"))
    }

    static func notification(_ json: String) throws -> MastodonNotification {
        try JSONDecoder().decode(MastodonNotification.self, from: Data(json.utf8))
    }

    static func message(_ notification: MastodonNotification) -> InboxMessage? {
        guard case let .message(message)? = MastodonInboxReader.heard(notification, by: "10984", domain: "bakery.example") else { return nil }
        return message
    }

    @Test func aMentionThatAnswersTheAccountIsAReply() throws {
        let notification = try JSONDecoder().decode(MastodonNotification.self, from: try Self.fixture("mastodon-notification.json"))
        let message = try #require(Self.message(notification))
        #expect(message.kind == .reply)
        #expect(message.remoteID == "113570812344590101")
        #expect(message.inReplyTo == "113570700000000001")
        #expect(message.author == InboxAuthor(
            name: "Ana Flour", handle: "ana@pastry.example",
            avatarURL: "https://files.pastry.example/accounts/avatars/109/302/original/a1b2c3.png", profileURL: "https://pastry.example/@ana"
        ))
        #expect(message.text == "@bakery two loaves for me please & thanks!")
        #expect(message.html == #"<p><a href="https://bakery.example/@bakery" rel="nofollow noopener noreferrer" target="_blank">@bakery</a> two loaves for me please &amp; thanks!</p>"#)
        #expect(message.url == "https://pastry.example/@ana/113570812344590101")
        #expect(message.createdAt == ISO8601DateFormatter().date(from: "2026-11-30T09:41:11Z"))
        // The same status answering someone else only mentions the account.
        let elsewhere = MastodonInboxReader.heard(notification, by: "555", domain: "bakery.example")
        guard case let .message(mention)? = elsewhere else { Issue.record("\(String(describing: elsewhere))"); return }
        #expect(mention.kind == .mention)
    }

    @Test func aQuoteNamesTheQuotedStatus() throws {
        let notification = try JSONDecoder().decode(MastodonNotification.self, from: try Self.fixture("mastodon-notification-quote.json"))
        let message = try #require(Self.message(notification))
        #expect(message.kind == .quote && message.inReplyTo == "113570700000000001")
        // Akkoma names it `quote_id`; a quote in an unknown shape still reads, unlinked.
        let akkoma = try Self.notification(#"{"id":"9","type":"quote","account":{"id":"1","username":"a","acct":"a@x.example"},"status":{"id":"5","content":"<p>q</p>","account":{"id":"1","username":"a","acct":"a@x.example"},"quote_id":"77","quote":7}}"#)
        #expect(Self.message(akkoma)?.inReplyTo == "77")
    }

    @Test func aDirectStatusIsAMessageEvenWhenItAnswersTheAccount() throws {
        let json = #"{"id":"9","type":"mention","account":{"id":"1","username":"dee","acct":"dee"},"status":{"id":"5","visibility":"direct","in_reply_to_id":"4","in_reply_to_account_id":"10984","content":"<p>psst</p>","account":{"id":"1","username":"dee","acct":"dee","avatar":"javascript:alert(1)","url":"data:text/html,x"}}}"#
        let message = try #require(Self.message(try Self.notification(json)))
        #expect(message.kind == .message)
        #expect(message.author.handle == "dee@bakery.example", "a local account is named with the instance's domain")
        #expect(message.author.avatarURL == nil && message.author.profileURL == nil, "only http(s) addresses are kept")
    }

    @Test func likesBoostsAndFollowsAreCountedOnTheirDay() throws {
        let account = #""account":{"id":"1","username":"a","acct":"a@x.example"}"#
        let status = #""status":{"id":"42","content":"","account":{"id":"10984","username":"bakery","acct":"bakery"}}"#
        let favourite = try Self.notification(#"{"id":"1","type":"favourite","created_at":"2026-11-30T23:59:59Z",\#(account),\#(status)}"#)
        let boost = try Self.notification(#"{"id":"2","type":"reblog","created_at":"2026-12-01T00:00:01.000Z",\#(account),\#(status)}"#)
        let follow = try Self.notification(#"{"id":"3","type":"follow","created_at":"2026-12-01T10:00:00Z",\#(account)}"#)
        func count(_ notification: MastodonNotification) -> EngagementCount? {
            guard case let .count(count)? = MastodonInboxReader.heard(notification, by: "10984", domain: "bakery.example") else { return nil }
            return count
        }
        #expect(count(favourite) == EngagementCount(kind: .like, day: "2026-11-30", subject: "42", count: 1))
        #expect(count(boost) == EngagementCount(kind: .repost, day: "2026-12-01", subject: "42", count: 1))
        #expect(count(follow) == EngagementCount(kind: .follow, day: "2026-12-01", subject: nil, count: 1))
        let odd = try Self.notification(#"{"id":"4","type":"favourite","created_at":"2026-12-01T10:00:00Z",\#(account),"status":{"id":5,"account":"x"}}"#)
        #expect(count(odd) == EngagementCount(kind: .like, day: "2026-12-01", subject: nil, count: 1), "a like on a status in an odd shape is still a like")
    }

    @Test func otherKindsAreReadNoFurtherThanTheirId() throws {
        let report = try Self.notification(#"{"id":"7","type":"admin.report","report":{"id":"1"}}"#)
        #expect(MastodonInboxReader.heard(report, by: "10984", domain: "bakery.example") == nil)
        let poll = try Self.notification(#"{"id":"8","type":"poll","account":"not an account","status":17}"#)
        #expect(poll.status == nil)
        #expect(throws: (any Error).self) { try Self.notification(#"{"id":"\#(String(repeating: "9", count: 129))","type":"follow"}"#) }
        #expect(throws: (any Error).self, "a mention must carry a well-formed status") {
            try Self.notification(#"{"id":"9","type":"mention","account":{"id":"1","username":"a","acct":"a"},"status":{"id":""}}"#)
        }
    }

    @Test func anAnswerNamesItsAuthorOnce() {
        let reader = MastodonInboxReader(http: NetworkHTTPClient(client: .shared, policy: OutboundAddressPolicy()))
        let ana = InboxAuthor(name: "Ana", handle: "ana@pastry.example", avatarURL: nil, profileURL: nil)
        #expect(reader.answerText("Thanks!", answering: ana) == "@ana@pastry.example Thanks!")
        #expect(reader.answerText("Thanks @Ana@Pastry.example!", answering: ana) == "Thanks @Ana@Pastry.example!")
        #expect(reader.answerText("See @ana@pastry.example.", answering: ana) == "See @ana@pastry.example.")
        #expect(reader.answerText("Ask @ana@pastry.example.org", answering: ana) == "@ana@pastry.example Ask @ana@pastry.example.org", "someone else")
        #expect(reader.answerText("mail x@ana@pastry.example", answering: ana) == "@ana@pastry.example mail x@ana@pastry.example")
    }

    @Test func idsOrderAcrossLengthsAndFormats() {
        #expect(MastodonID.isNewer("100", than: "99"))
        #expect(!MastodonID.isNewer("99", than: "100"))
        #expect(!MastodonID.isNewer("100", than: "100"))
        #expect(MastodonID.isNewer("01HZX9", than: "01HZX8"))
        #expect(MastodonID.newest(of: ["99995", "100002", "99999"]) == "100002")
    }

    @Test func theStreamingAddressIsPlainHTTP() throws {
        let client = MastodonClient(instanceURL: URL(string: "https://bakery.example")!, http: NetworkHTTPClient(client: .shared, policy: OutboundAddressPolicy()))
        func base(_ json: String) throws -> String {
            client.streamingBase(of: try JSONDecoder().decode(MastodonInstance.self, from: Data(json.utf8))).absoluteString
        }
        #expect(try base(#"{"configuration":{"urls":{"streaming":"wss://streaming.bakery.example/"}}}"#) == "https://streaming.bakery.example")
        #expect(try base(#"{"urls":{"streaming_api":"ws://bakery.example:4000"}}"#) == "http://bakery.example:4000")
        #expect(try base(#"{"configuration":{"urls":{"streaming":"gopher://x"}}}"#) == "https://bakery.example")
        #expect(try base(#"{"configuration":{"urls":{"streaming":17}}}"#) == "https://bakery.example", "an odd shape is no streaming address, not a failed instance")
    }

    @Test func notificationsFromAnyServerAreReadWithinBounds() async throws {
        let seeds = try ["mastodon-notification.json", "mastodon-notification-quote.json"].map { Array(try Self.fixture($0)) }
        let tokens = [
            "\"mention\"", "\"quote\"", "\"favourite\"", "\"reblog\"", "\"follow\"", "\"direct\"", "\"visibility\"", "\"in_reply_to_account_id\"",
            "\"10984\"", "null", "\"\"", "[]", "{}", "\"quoted_status\"", "\"quote_id\"", "\"acct\"", "\"avatar\"", "\"javascript:x\"",
            "\"<script>x</script>\"", "\"<a href=\\\"javascript:x\\\">\"", "\"\\u003c\"", "1e300", "\"\\ud800\"",
        ]
        let report = await FuzzLoop.run(seeds: seeds, tokens: tokens) { input in
            guard let notification = try? JSONDecoder().decode(MastodonNotification.self, from: Data(input)) else { return }
            guard case let .message(message)? = MastodonInboxReader.heard(notification, by: "10984", domain: "bakery.example") else { return }
            #expect((1...128).contains(message.remoteID.utf8.count))
            #expect((message.inReplyTo?.utf8.count ?? 0) <= 128)
            #expect(message.text.utf8.count <= SafeHTML.longestInput)
            #expect(SafeHTMLSanitizingTests.problem(in: message.html) == nil, "\(message.html)")
            for address in [message.author.avatarURL, message.author.profileURL, message.url].compactMap(\.self) {
                #expect(address.lowercased().hasPrefix("http"), "\(address)")
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
