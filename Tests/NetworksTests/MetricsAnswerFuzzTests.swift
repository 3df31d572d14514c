import Foundation
import Fuzzing
@testable import Networks
import Testing

/// The readers of what a network counts — a Mastodon status's and account's counts, Bluesky's
/// `getPosts` — under a seeded mutation fuzzer over real-shaped fixtures: no crash, nothing
/// slow, and every count a whole number from 0 to 10^12.
@Suite struct MetricsAnswerFuzzTests {
    private static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")))
    }

    private static let tokens = [
        "9223372036854775807", "-9223372036854775808", "1000000000001", "1e300", "-1", "0.5", "12.0", "null", "true", "\"12\"", "[]", "{}",
        "\"favourites_count\"", "\"reblogs_count\"", "\"replies_count\"", "\"quotes_count\"", "\"followers_count\"",
        "\"likeCount\"", "\"repostCount\"", "\"replyCount\"", "\"quoteCount\"", "\"posts\"", "\"uri\"", "[[[[[[[[",
    ]

    private static func inRange(_ counts: PostCounts) -> Bool {
        [counts.likes, counts.reposts, counts.replies, counts.quotes, counts.impressions].allSatisfy { ($0 ?? 0) >= 0 && ($0 ?? 0) <= MetricCount.largest }
    }

    @Test func knownAnswersAreReadAsTheyAre() throws {
        let status = try JSONDecoder().decode(MastodonStatusCounts.self, from: Data(try Self.fixture("mastodon-status.json")))
        #expect(status.counts == PostCounts(likes: 0, reposts: 0, replies: 0, quotes: nil, impressions: nil))
        #expect(try JSONDecoder().decode(MastodonAccountCounts.self, from: Data(try Self.fixture("mastodon-account.json"))).followers == 412)
        let posts = try JSONDecoder().decode(BlueskyPostCounts.self, from: Data(try Self.fixture("bluesky-posts.json")))
        #expect(posts.counts["at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l6oveex3ii2l"]
                == PostCounts(likes: 17, reposts: 4, replies: 2, quotes: 1, impressions: nil))
        #expect(posts.counts["at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l6ovfgh2kk2x"]
                == PostCounts(likes: 3, reposts: nil, replies: nil, quotes: nil, impressions: nil))
    }

    @Test func hostileCountsAreRefusedNotBelieved() throws {
        for hostile in ["-1", "1000000000001", "1e30", "\"12\"", "1.5", "true", "[]"] {
            let status = Data(#"{"id": "1", "favourites_count": 1, "reblogs_count": \#(hostile)}"#.utf8)
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(MastodonStatusCounts.self, from: status) }
            let posts = Data(#"{"posts": [{"uri": "at://a/b/c", "likeCount": \#(hostile)}, {"uri": "at://a/b/d", "likeCount": 2}]}"#.utf8)
            let read = try JSONDecoder().decode(BlueskyPostCounts.self, from: posts)
            #expect(read.unreadable == ["at://a/b/c"])
            #expect(read.counts["at://a/b/d"]?.likes == 2)
        }
        let tooMany = "{\"posts\": [" + Array(repeating: #"{"uri": "at://a/b/c"}"#, count: 26).joined(separator: ",") + "]}"
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BlueskyPostCounts.self, from: Data(tooMany.utf8)) }
    }

    @Test func countAnswersAreReadWithinTheirBounds() async throws {
        let seeds = try ["mastodon-status.json", "mastodon-account.json", "bluesky-posts.json", "bluesky-profile.json"].map(Self.fixture)
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.tokens) { input in
            let data = Data(input)
            if let status = try? JSONDecoder().decode(MastodonStatusCounts.self, from: data) {
                #expect(Self.inRange(status.counts))
            }
            if let account = try? JSONDecoder().decode(MastodonAccountCounts.self, from: data), let followers = account.followers {
                #expect((0...MetricCount.largest).contains(followers))
            }
            if let posts = try? JSONDecoder().decode(BlueskyPostCounts.self, from: data) {
                #expect(posts.counts.count + posts.unreadable.count <= BlueskyClient.mostPostsPerCall)
                #expect(posts.counts.values.allSatisfy(Self.inRange))
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
