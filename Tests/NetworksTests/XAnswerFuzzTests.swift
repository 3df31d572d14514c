import Foundation
import Fuzzing
@testable import Networks
import Testing

/// X's answers and OAuth token answers under a seeded mutation fuzzer over fixtures shaped as
/// X documents them: no crash, nothing slow, every count within bounds, every id asked about
/// in exactly one of counts, gone and unreadable, every inbox message from someone else with
/// an id that can go in a path, and token lifetimes bounded.
@Suite struct XAnswerFuzzTests {
    private static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")))
    }

    private static let tokens = [
        "9223372036854775807", "-1", "1e300", "0.5", "null", "true", "\"12\"", "[]", "{}", "\"like_count\"", "\"impression_count\"",
        "\"resource_id\"", "\"replied_to\"", "\"quoted\"", "\"../../x\"", "\"expires_in\"", "\"7200\"", "\"access_token\"", "[[[[[[[[",
    ]
    private static let account = PublishingAccount(server: URL(string: "https://api.x.com")!, accountID: "2244994945", credentials: NetworkCredentials())

    @Test func knownAnswersAreReadAsTheyAre() throws {
        let page = try JSONDecoder().decode(XClient.Page.self, from: Data(try Self.fixture("x-posts.json")))
        let asked = ["1460323737035677698", "1460323737035677699", "1460323737035677700"]
        let reading = XMetricsReader.reading(page, asked: asked)
        #expect(reading.counts["1460323737035677698"] == PostCounts(likes: 17, reposts: 4, replies: 2, quotes: 1, impressions: 321))
        #expect(reading.counts["1460323737035677699"]?.impressions == nil, "not in the tier: absent, never 0")
        #expect(reading.gone == ["1460323737035677700"])
        let messages = XInboxReader.messages(page, account: Self.account)
        #expect(messages.map(\.remoteID) == ["1460323737035677699"], "the account's own post is not in its inbox")
        #expect(messages.first?.kind == .reply && messages.first?.author.handle == "miamiller", "the page puts the @ before it")
        #expect(XClient.reason(Data(try Self.fixture("x-problem.json")))?.hasSuffix("(client-not-enrolled)") == true)
        let tokens = try #require(OAuthTokenClient.tokens(from: Data(try Self.fixture("oauth-token.json")), now: Date(timeIntervalSince1970: 0)))
        #expect(tokens.expiresAt == Date(timeIntervalSince1970: 7_200) && tokens.refreshToken != nil)
    }

    @Test func xAnswersAreReadWithinTheirBounds() async throws {
        let seeds = try ["x-posts.json", "x-users-me.json", "x-problem.json", "oauth-token.json"].map(Self.fixture)
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.tokens) { input in
            let data = Data(input)
            if let page = try? JSONDecoder().decode(XClient.Page.self, from: data) {
                let asked = (page.data ?? []).map(\.id) + ["1", "2"]
                let reading = XMetricsReader.reading(page, asked: asked)
                for id in Set(asked) {
                    let places = [reading.counts[id] != nil, reading.gone.contains(id), reading.unreadable[id] != nil].filter { $0 }.count
                    #expect(places == 1, "\(id) is in exactly one place")
                }
                #expect(reading.counts.values.allSatisfy { counts in
                    [counts.likes, counts.reposts, counts.replies, counts.quotes, counts.impressions].allSatisfy { ($0 ?? 0) >= 0 && ($0 ?? 0) <= MetricCount.largest }
                })
                for message in XInboxReader.messages(page, account: Self.account) {
                    #expect((try? XClient.checkedID(message.remoteID)) != nil && message.text.count <= 10_000)
                }
            }
            _ = XClient.reason(data)
            if let tokens = OAuthTokenClient.tokens(from: data, now: Date(timeIntervalSince1970: 0)), let ends = tokens.expiresAt {
                #expect(ends.timeIntervalSince1970 > 0 && ends.timeIntervalSince1970 <= OAuthTokens.longestLifetime)
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
