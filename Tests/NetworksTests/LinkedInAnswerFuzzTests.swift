import Foundation
import Fuzzing
@testable import Networks
import Testing

/// LinkedIn's answers under a seeded mutation fuzzer over fixtures shaped as its API reference
/// shows them, and little text escaping over any text: no crash, nothing slow, counts within
/// bounds, inbox messages from someone else with URNs that can go in a path, and escaping that
/// reads back as the words written.
@Suite struct LinkedInAnswerFuzzTests {
    private static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")))
    }

    private static let bakery = PublishingAccount(server: URL(string: "https://api.linkedin.com")!, accountID: "urn:li:organization:2414183", credentials: NetworkCredentials())
    private static let post = "urn:li:share:7000000000000000001"
    private static let tokens = ["9223372036854775807", "-1", "1e300", "null", "\"urn:li:x\"", "\"commentUrn\"", "\"parentComment\"", "\"totalLikes\"", "\"\\\\\"", "[[[[["]

    @Test func knownAnswersAreReadAsTheyAre() throws {
        let comments = try JSONDecoder().decode(LinkedInClient.Elements<LinkedInClient.Comment>.self, from: Data(try Self.fixture("linkedin-comments.json")))
        let messages = LinkedInInboxReader.messages(comments.elements ?? [], on: Self.post, account: Self.bakery)
        #expect(messages.map(\.text) == ["Is it vegan? (asking for a friend)"], "the page's own answer is not in its inbox")
        #expect(messages.first?.inReplyTo == Self.post && messages.first?.root?.remoteID == Self.post)
        #expect(messages.first?.createdAt == Date(timeIntervalSince1970: 1_796_637_600))
        let summary = try JSONDecoder().decode(LinkedInClient.Summary.self, from: Data(try Self.fixture("linkedin-summary.json")))
        var reading = MetricsReading()
        LinkedInMetricsReader.place(summary, of: Self.post, into: &reading)
        #expect(reading.counts[Self.post] == PostCounts(likes: 14, reposts: nil, replies: 3, quotes: nil, impressions: nil))
        let posts = try JSONDecoder().decode(LinkedInClient.Elements<LinkedInClient.Post>.self, from: Data(try Self.fixture("linkedin-posts.json")))
        #expect(posts.elements?.first?.commentary.map(LittleText.unescaped) == "Rye (sourdough) #bread")
        #expect(LittleText.escaped("50% (off) #rye @ 7 \\ _ok_") == "50% \\(off\\) \\#rye \\@ 7 \\\\ \\_ok\\_")
    }

    @Test func answersAndLittleTextAreReadWithinTheirBounds() async throws {
        let seeds = try ["linkedin-comments.json", "linkedin-summary.json", "linkedin-posts.json"].map(Self.fixture)
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.tokens) { input in
            let data = Data(input)
            let text = String(decoding: data, as: UTF8.self)
            #expect(LittleText.unescaped(LittleText.escaped(text)) == text, "escaping reads back as the words written")
            if let page = try? JSONDecoder().decode(LinkedInClient.Elements<LinkedInClient.Comment>.self, from: data) {
                for message in LinkedInInboxReader.messages(page.elements ?? [], on: Self.post, account: Self.bakery) {
                    #expect(([message.remoteID] + [message.inReplyTo].compactMap { $0 }).allSatisfy { (try? LinkedInClient.checkedURN($0)) != nil })
                    #expect(message.text.count <= 10_000)
                }
            }
            if let summary = try? JSONDecoder().decode(LinkedInClient.Summary.self, from: data) {
                var reading = MetricsReading()
                LinkedInMetricsReader.place(summary, of: "1", into: &reading)
                #expect([reading.counts["1"] != nil, reading.unreadable["1"] != nil].filter { $0 }.count == 1)
                #expect(reading.counts["1"].map { ($0.likes ?? 0) <= MetricCount.largest && ($0.replies ?? 0) <= MetricCount.largest } ?? true)
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
