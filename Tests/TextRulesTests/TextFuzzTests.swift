import Fuzzing
import Testing
import TextRules

/// The AT Protocol syntax validators and every network's counting, under a seeded mutation
/// fuzzer over the networks' own conformance data: no crash, nothing slow, and answers that
/// stay within what the text can hold.
@Suite struct TextFuzzTests {
    @Test func theATProtocolValidatorsTakeAnyText() async throws {
        let files = ["handle", "did", "aturi", "tid", "recordkey", "datetime"].flatMap { ["\($0)_syntax_valid.txt", "\($0)_syntax_invalid.txt"] }
        let seeds = try files.flatMap { try ConformanceData.atprotoLines($0) }.map { Array($0.utf8) }
        let report = await FuzzLoop.run(seeds: seeds, tokens: ["did:", "plc:", "web:", "at://", "/", ".", ":", "%", "#", "-", "_", "~", "T", "Z", "+00:00", "app.bsky.feed.post"], longest: 4_096) { input in
            let text = String(decoding: input, as: UTF8.self)
            _ = ATProtoSyntax.isValidHandle(text)
            _ = ATProtoSyntax.isValidDID(text)
            _ = ATProtoSyntax.isValidNSID(text)
            _ = ATProtoSyntax.isValidATURI(text)
            _ = ATProtoSyntax.isValidTID(text)
            _ = ATProtoSyntax.isValidRecordKey(text)
            _ = ATProtoSyntax.isValidDatetimeSyntax(text)
            _ = ATProtoSyntax.isValidDatetime(text)
        }
        #expect(report.slowest < FuzzLoop.hang)
    }

    @Test func everyNetworksCountingTakesAnyText() async throws {
        let texts = try ["validate.yml", "extract.yml"].flatMap { file in
            try ["urls", "mentions", "hashtags", "WeightedTweetsCounterTest", "WeightedTweetsWithDiscountedEmojiCounterTest"].flatMap { section in
                (try? ConformanceData.twitterTextCases(file, section: section)) ?? []
            }
        }.map(\.text)
        #expect(texts.count > 100)
        let catalog = TextRulesCatalog()
        let report = await FuzzLoop.run(seeds: texts.map { Array($0.utf8) }, iterations: FuzzLoop.iterations(default: 10_000),
                                  tokens: ["https://", "http://", "@", "#", "＃", ".com", "www.", "🏳️‍🌈", "👋🏽", "\u{200D}", "\u{FE0F}", "é", "\r\n"],
                                  longest: 8_192) { input in
            let text = String(decoding: input, as: UTF8.self)
            for (network, check) in catalog.check(text, for: Network.allCases) {
                #expect(check.length >= 0 && check.length <= text.utf8.count * 23 + 23, "\(network)")
                for entity in check.entities {
                    #expect(entity.start >= 0 && entity.start <= entity.end, "\(network)")
                }
            }
        }
        #expect(report.inputs == texts.count + FuzzLoop.iterations(default: 10_000))
        #expect(report.slowest < FuzzLoop.hang, "slowest: \(String(decoding: report.slowestInput, as: UTF8.self).debugDescription)")
    }
}
