import AsyncHTTPClient
import Foundation
import Networks
import NIOCore
import Testing

/// The guarded feed fetch: conditional GET, gzip within bounds, redirects one hop at a time
/// with every hop's address checked, a size bound and one deadline — against a loopback blog
/// that only 127.0.0.1 is allowed to reach.
@Suite(.serialized) struct FeedFetchTests {
    /// Long enough for a suite that keeps both cores busy with fuzzers; the deadline test sets its own.
    private func fetcher(timeout: TimeAmount = .seconds(90)) throws -> FeedFetcher {
        var http = NetworkHTTPClient(client: HTTPClient.shared, policy: try OutboundAddressPolicy(allowing: ["127.0.0.1"]))
        http.timeout = timeout
        return FeedFetcher(http: http)
    }

    private let entry = FakeFeedServer.Entry(id: "a1", title: "Rye is back", link: "https://bakery.example/rye", date: Date(timeIntervalSince1970: 1_790_000_000))

    @Test func theSecondFetchIsConditionalAndA304IsNotModified() async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([entry])
            let fetcher = try fetcher()
            guard case let .fetched(first) = try await fetcher.fetch(URL(string: blog.url)!) else { Issue.record("expected the feed"); return }
            #expect(first.validators.etag == "\"v2\"")
            #expect(blog.feedRequests.first?.ifNoneMatch == nil)

            let second = try await fetcher.fetch(URL(string: blog.url)!, validators: first.validators)
            guard case .notModified = second else { Issue.record("expected 304, got \(second)"); return }
            #expect(blog.feedRequests.last?.ifNoneMatch == "\"v2\"", "the ETag is sent back")
        }
    }

    @Test func aGzippedFeedIsReadDecompressed() async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([entry])
            guard case let .fetched(feed) = try await fetcher().fetch(URL(string: blog.url)!) else { Issue.record("expected the feed"); return }
            #expect(blog.feedRequests.first?.acceptEncoding?.contains("gzip") == true)
            #expect(String(decoding: feed.body, as: UTF8.self).contains("<title>Rye is back</title>"))
            #expect(feed.contentType == "application/atom+xml; charset=utf-8", "the charset is passed on to the parser")
        }
    }

    @Test func aCompressedBombIsRefusedNotExpanded() async throws {
        try await FakeFeedServer.with { blog in
            await #expect(throws: NetworkError.unexpectedResponse("127.0.0.1 sent a compressed answer that expands far beyond its size; Trestle did not read it.")) {
                _ = try await fetcher().fetch(URL(string: blog.baseURL + "/bomb.xml")!)
            }
        }
    }

    @Test func anAnswerOverFiveMegabytesIsRefused() async throws {
        try await FakeFeedServer.with { blog in
            await #expect(throws: NetworkError.unexpectedResponse("127.0.0.1 sent an answer larger than 5 MB.")) {
                _ = try await fetcher().fetch(URL(string: blog.baseURL + "/huge.xml")!)
            }
        }
    }

    @Test func redirectsAreFollowedHopByHopToTheFeed() async throws {
        try await FakeFeedServer.with { blog in
            blog.publish([entry])
            guard case let .fetched(feed) = try await fetcher().fetch(URL(string: blog.baseURL + "/moved")!) else { Issue.record("expected the feed"); return }
            #expect(blog.requests.map(\.path) == ["/moved", "/hop/2", "/hop/1", "/hop/0", "/feed.xml"])
            #expect(feed.url.absoluteString == blog.url, "relative links resolve against where the feed was found")
            #expect(feed.movedPermanentlyTo == nil, "a temporary hop on the way makes the move temporary")
        }
    }

    @Test func aRedirectLoopEndsAfterFiveHops() async throws {
        try await FakeFeedServer.with { blog in
            await #expect(throws: NetworkError.unexpectedResponse("The feed redirects more than 5 times; give its final address.")) {
                _ = try await fetcher().fetch(URL(string: blog.baseURL + "/loop")!)
            }
            #expect(blog.requests.count == 6)
        }
    }

    @Test(arguments: ["/to-metadata", "/to-loopback"])
    func aRedirectToAnAddressNotAllowedIsRefusedBeforeConnecting(_ path: String) async throws {
        try await FakeFeedServer.with { blog in
            do {
                _ = try await fetcher().fetch(URL(string: blog.baseURL + path)!)
                Issue.record("the redirect was followed")
            } catch let error as NetworkError {
                guard case .refusedAddress = error else { Issue.record("expected refusedAddress, got \(error)"); return }
            }
            #expect(blog.requests.map(\.path) == [path], "the private address is never asked")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aSlowServerEndsAtTheDeadline() async throws {
        try await FakeFeedServer.with { blog in
            await #expect(throws: NetworkError.timedOut(host: "127.0.0.1")) {
                _ = try await fetcher(timeout: .milliseconds(300)).fetch(URL(string: blog.baseURL + "/slow.xml")!)
            }
        }
    }

    @Test func oneRequestPerHostAtATime() async throws {
        let gate = HostGate()
        let inside = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await gate.withTurn(at: "Blog.Example") {
                        let now = await inside.enter()
                        #expect(now == 1, "two requests to one host at once")
                        await Task.yield()
                        await inside.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await inside.most == 1)
    }
}

private actor Counter {
    private(set) var current = 0
    private(set) var most = 0
    func enter() -> Int {
        current += 1
        most = max(most, current)
        return current
    }
    func leave() { current -= 1 }
}
