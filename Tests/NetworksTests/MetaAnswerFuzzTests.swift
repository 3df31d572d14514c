import Foundation
import Fuzzing
@testable import Networks
import Testing

/// Threads', Instagram's and Facebook's answers under a seeded mutation fuzzer over fixtures shaped as their
/// API references show them: no crash, nothing slow, every count within bounds, every post
/// asked about in exactly one place, every inbox message from someone else with ids that can go
/// in a path and links only to web addresses, and token lifetimes bounded.
@Suite struct MetaAnswerFuzzTests {
    private static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")))
    }

    private static let instagram = PublishingAccount(server: URL(string: "https://graph.instagram.com")!, accountID: "17841400000000002", credentials: NetworkCredentials())

    private static let tokens = [
        "9223372036854775807", "-1", "1e300", "0.5", "null", "true", "\"12\"", "[]", "{}", "\"likes\"", "\"views\"", "\"total_value\"",
        "\"replied_to\"", "\"is_reply_owned_by_me\"", "\"../../x\"", "\"expires_in\"", "\"FINISHED\"", "\"javascript:x\"", "\"parent_id\"", "\"status_code\"", "[[[[[[[[",
    ]

    @Test func knownAnswersAreReadAsTheyAre() throws {
        let conversation = try JSONDecoder().decode(ThreadsClient.Page<ThreadsClient.Post>.self, from: Data(try Self.fixture("threads-conversation.json")))
        let messages = ThreadsInboxReader.messages(conversation.data ?? [])
        #expect(messages.map(\.remoteID) == ["18100000000000002", "18100000000000004"], "the account's own reply is not in its inbox")
        #expect(messages.first?.inReplyTo == "18100000000000001" && messages.first?.author.handle == "miamiller")
        #expect(messages.first?.createdAt == Date(timeIntervalSince1970: 1_796_637_600))
        #expect(messages.last?.url == nil, "a link that is not a web address is dropped")

        let insights = try JSONDecoder().decode(ThreadsClient.Page<ThreadsClient.Insight>.self, from: Data(try Self.fixture("threads-insights.json")))
        var reading = MetricsReading()
        ThreadsMetricsReader.place(insights.data ?? [], of: "18100000000000001", into: &reading)
        #expect(reading.counts["18100000000000001"] == PostCounts(likes: 17, reposts: 2, replies: 3, quotes: 1, impressions: 412))
        let followers = try JSONDecoder().decode(ThreadsClient.Page<ThreadsClient.Insight>.self, from: Data(try Self.fixture("threads-followers.json")))
        #expect(followers.data?.first?.count == 230)

        let state = try JSONDecoder().decode(ThreadsClient.ContainerState.self, from: Data(try Self.fixture("threads-container.json")))
        #expect(state.state.status == "ERROR" && state.state.reason == "FAILED_DOWNLOADING_VIDEO")
        let token = try #require(OAuthTokenClient.tokens(from: Data(try Self.fixture("threads-token.json")), now: Date(timeIntervalSince1970: 0)))
        #expect(token.expiresAt == Date(timeIntervalSince1970: 5_183_944))
    }

    @Test func knownInstagramAnswersAreReadAsTheyAre() throws {
        let comments = try JSONDecoder().decode(MetaGraphClient.Page<InstagramClient.Comment>.self, from: Data(try Self.fixture("instagram-comments.json")))
        let messages = InstagramInboxReader.messages(comments.data ?? [], on: "18200000000000001", account: Self.instagram)
        #expect(messages.map(\.remoteID) == ["18200000000000011", "18200000000000013"], "the account's own reply is not in its inbox")
        #expect(messages.first?.inReplyTo == "18200000000000001" && messages.first?.root == nil, "a comment answers the post")
        #expect(messages.last?.inReplyTo == "18200000000000011" && messages.last?.root?.remoteID == "18200000000000011",
                "a reply is answered under its top-level comment")
        let state = try JSONDecoder().decode(InstagramClient.ContainerState.self, from: Data(try Self.fixture("instagram-container.json")))
        #expect(state.state.status == "ERROR" && state.state.reason?.hasPrefix("Error: Media download has failed.") == true)
        let token = try #require(OAuthTokenClient.tokens(from: Data(try Self.fixture("instagram-token.json")), now: Date(timeIntervalSince1970: 0)))
        #expect(token.accessToken == "IGQVJSHORTLIVED" && token.expiresAt == nil, "Business Login's answer, in its data list")
    }

    private static let page = PublishingAccount(server: URL(string: "https://graph.facebook.com")!, accountID: "10160000000000001", credentials: NetworkCredentials())

    @Test func knownFacebookAnswersAreReadAsTheyAre() throws {
        let comments = try JSONDecoder().decode(MetaGraphClient.Page<FacebookClient.Comment>.self, from: Data(try Self.fixture("facebook-comments.json")))
        let messages = FacebookInboxReader.messages(comments.data ?? [], on: "10160000000000001_122000000000000002", account: Self.page)
        #expect(messages.map(\.remoteID) == ["122000000000000002_122000000000000003", "122000000000000002_122000000000000005"], "the Page's own comment is not in its inbox")
        #expect(messages.first?.inReplyTo == "10160000000000001_122000000000000002" && messages.first?.author.name == "Mia Miller")
        #expect(messages.last?.root?.remoteID == "122000000000000002_122000000000000003", "a reply is answered under its comment")
        let post = try JSONDecoder().decode(FacebookClient.Post.self, from: Data(try Self.fixture("facebook-post-counts.json")))
        var reading = MetricsReading()
        FacebookMetricsReader.place(post, of: post.id, into: &reading)
        #expect(reading.counts[post.id] == PostCounts(likes: 9, reposts: 2, replies: 3, quotes: nil, impressions: nil))
        let pages = try JSONDecoder().decode(MetaGraphClient.Page<FacebookClient.Page>.self, from: Data(try Self.fixture("facebook-accounts.json")))
        #expect(pages.data?.map { $0.tasks?.contains("CREATE_CONTENT") } == [true, false])
    }

    @Test func metaAnswersAreReadWithinTheirBounds() async throws {
        let seeds = try ["threads-conversation.json", "threads-insights.json", "threads-followers.json", "threads-container.json", "threads-token.json",
                         "meta-error-token.json", "instagram-comments.json", "instagram-token.json", "instagram-container.json",
                         "facebook-comments.json", "facebook-post-counts.json", "facebook-accounts.json"].map(Self.fixture)
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.tokens) { input in
            let data = Data(input)
            if let page = try? JSONDecoder().decode(ThreadsClient.Page<ThreadsClient.Post>.self, from: data) {
                for message in ThreadsInboxReader.messages(page.data ?? []) {
                    #expect((try? ThreadsClient.checkedID(message.remoteID)) != nil && message.text.count <= 10_000)
                    #expect(message.inReplyTo.map { (try? ThreadsClient.checkedID($0)) != nil } ?? true)
                    #expect([message.url, message.author.profileURL].allSatisfy { $0 == nil || InboxAuthor.webAddress($0) != nil })
                }
            }
            if let page = try? JSONDecoder().decode(ThreadsClient.Page<ThreadsClient.Insight>.self, from: data) {
                var reading = MetricsReading()
                ThreadsMetricsReader.place(page.data ?? [], of: "1", into: &reading)
                InstagramMetricsReader.place(page.data ?? [], of: "2", into: &reading)
                for id in ["1", "2"] {
                    #expect([reading.counts[id] != nil, reading.unreadable[id] != nil].filter { $0 }.count == 1, "the post is in exactly one place")
                }
                #expect(reading.counts.values.allSatisfy { counts in
                    [counts.likes, counts.reposts, counts.replies, counts.quotes, counts.impressions].allSatisfy { ($0 ?? 0) >= 0 && ($0 ?? 0) <= MetricCount.largest }
                })
                for insight in page.data ?? [] { #expect((insight.count ?? 0) >= 0 && (insight.count ?? 0) <= MetricCount.largest) }
            }
            if let page = try? JSONDecoder().decode(MetaGraphClient.Page<InstagramClient.Comment>.self, from: data) {
                for message in InstagramInboxReader.messages(page.data ?? [], on: "1", account: Self.instagram) {
                    let ids = [message.remoteID] + [message.inReplyTo, message.root?.remoteID].compactMap { $0 }
                    #expect(ids.allSatisfy { MetaContainers.checkedID($0) != nil } && message.text.count <= 10_000)
                    #expect(message.author.profileURL.map { InboxAuthor.webAddress($0) != nil } ?? true)
                }
            }
            if let page = try? JSONDecoder().decode(MetaGraphClient.Page<FacebookClient.Comment>.self, from: data) {
                for message in FacebookInboxReader.messages(page.data ?? [], on: "1_2", account: Self.page) {
                    let ids = [message.remoteID] + [message.inReplyTo, message.root?.remoteID].compactMap { $0 }
                    #expect(ids.allSatisfy { (try? FacebookClient.checkedPostID($0)) != nil } && message.text.count <= 10_000)
                    #expect(message.url.map { InboxAuthor.webAddress($0) != nil } ?? true)
                }
            }
            if let post = try? JSONDecoder().decode(FacebookClient.Post.self, from: data) {
                var reading = MetricsReading()
                FacebookMetricsReader.place(post, of: "1", into: &reading)
                #expect([reading.counts["1"] != nil, reading.unreadable["1"] != nil].filter { $0 }.count == 1, "the post is in exactly one place")
                #expect(reading.counts["1"].map { [$0.likes, $0.reposts, $0.replies].allSatisfy { ($0 ?? 0) >= 0 && ($0 ?? 0) <= MetricCount.largest } } ?? true)
            }
            _ = try? JSONDecoder().decode(ThreadsClient.ContainerState.self, from: data)
            _ = try? JSONDecoder().decode(InstagramClient.ContainerState.self, from: data)
            _ = MetaGraphAnswer.error(NetworkHTTPClient.Response(status: 400, headers: [:], body: data), network: "Threads")
            if let tokens = OAuthTokenClient.tokens(from: data, now: Date(timeIntervalSince1970: 0)), let ends = tokens.expiresAt {
                #expect(ends.timeIntervalSince1970 > 0 && ends.timeIntervalSince1970 <= OAuthTokens.longestLifetime)
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
