import Foundation
import Fuzzing
import NIOHTTP1
@testable import Networks
import Testing

/// Meta's refusals (Facebook Pages, Instagram, Threads) as the publisher's outcomes, and its
/// usage headers read within bounds — also under a seeded mutation fuzzer.
@Suite struct MetaGraphAnswerTests {
    private static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)"))
    }

    private static func answer(_ status: Int, _ body: Data, headers: [(String, String)] = []) -> NetworkHTTPClient.Response {
        NetworkHTTPClient.Response(status: status, headers: HTTPHeaders(headers), body: body)
    }

    @Test func refusalsBecomeThePublishersOutcomesInMetasWords() throws {
        let expired = MetaGraphAnswer.error(Self.answer(400, try Self.fixture("meta-error-token.json")), network: "Threads")
        guard case let .unauthorized(reason) = expired else { Issue.record("\(expired)"); return }
        #expect(reason.hasPrefix("Threads refused the access token (Error validating access token: Session has expired"))

        let throttled = Self.answer(400, try Self.fixture("meta-error-throttled.json"), headers: [
            ("X-Business-Use-Case-Usage", #"{"112233": [{"type": "pages", "call_count": 100, "total_cputime": 25, "total_time": 25, "estimated_time_to_regain_access": 19}]}"#),
        ])
        #expect(MetaGraphAnswer.error(throttled, network: "Facebook") == .rateLimited(retryAfter: 19 * 60))
        let appLimited = Self.answer(400, Data(#"{"error": {"message": "(#4) Application request limit reached", "code": 4}}"#.utf8),
                                     headers: [("X-App-Usage", #"{"call_count": 100, "total_cputime": 20, "total_time": 30}"#)])
        #expect(MetaGraphAnswer.error(appLimited, network: "Instagram") == .rateLimited(retryAfter: MetaGraphAnswer.defaultWait))
        #expect(MetaGraphAnswer.highestUse(appLimited) == 100)

        let duplicate = MetaGraphAnswer.error(Self.answer(400, Data(#"{"error": {"message": "Duplicate status message", "code": 506}}"#.utf8)), network: "Facebook")
        #expect(duplicate == .rejected(status: 400, message: "Facebook refused it as a duplicate of a recent post: Duplicate status message"))
        let transient = MetaGraphAnswer.error(Self.answer(500, Data(#"{"error": {"message": "An unexpected error has occurred.", "code": 2}}"#.utf8)), network: "Threads")
        #expect(transient.isTransient)
        let permission = MetaGraphAnswer.error(Self.answer(403, Data(#"{"error": {"message": "(#200) Requires pages_manage_posts permission", "code": 200}}"#.utf8)), network: "Facebook")
        guard case .unauthorized = permission else { Issue.record("\(permission)"); return }
    }

    @Test func usageHeadersThatAreNotNumbersSayNothing() {
        for hostile in [#"{"call_count": 1e300}"#, #"{"call_count": -5}"#, #"{"call_count": "100"}"#, "not json", #"[1, 2]"#] {
            #expect(MetaGraphAnswer.wait(Self.answer(400, Data(), headers: [("X-App-Usage", hostile)])) == nil, "\(hostile)")
        }
        let forever = #"{"1": [{"call_count": 100, "estimated_time_to_regain_access": 1e12}]}"#
        #expect(MetaGraphAnswer.wait(Self.answer(400, Data(), headers: [("X-Business-Use-Case-Usage", forever)])) == MetaGraphAnswer.defaultWait,
                "a wait beyond a week is not believed; the use at 100 % still says wait")
    }

    @Test func metaAnswersAreReadWithinTheirBounds() async throws {
        let seeds = try ["meta-error-token.json", "meta-error-throttled.json"].map { Array(try Self.fixture($0)) }
            + [Array(#"{"112233": [{"type": "pages", "call_count": 100, "total_cputime": 25, "total_time": 25, "estimated_time_to_regain_access": 19}]}"#.utf8)]
        let tokens = ["1e300", "-1", "null", "true", "\"code\"", "190", "80001", "\"estimated_time_to_regain_access\"", "[[[[", "{}"]
        let report = await FuzzLoop.run(seeds: seeds, tokens: tokens) { input in
            let text = String(decoding: input, as: UTF8.self)
            let response = Self.answer(400, Data(input), headers: [("X-App-Usage", text), ("X-Business-Use-Case-Usage", text)])
            if case let .rateLimited(wait?) = MetaGraphAnswer.error(response, network: "Threads") {
                #expect((0...RetryAfter.longest).contains(wait))
            }
            if let wait = MetaGraphAnswer.wait(response) { #expect((0...RetryAfter.longest).contains(wait)) }
            if let use = MetaGraphAnswer.highestUse(response) { #expect((0...10_000).contains(use)) }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
