import Foundation
import Testing
import TextRules

@Suite struct TwitterWeightedLengthTests {
    private func expectParse(section: String, configuration: TwitterTextConfiguration) throws {
        let cases = try ConformanceData.twitterTextCases("validate.yml", section: section)
        #expect(!cases.isEmpty)
        let rules = XTextRules(configuration: configuration)
        for testCase in cases {
            guard let expected = testCase.expected as? [String: Any] else {
                Issue.record("\(testCase.description): no expected result")
                continue
            }
            let result = rules.parse(testCase.text)
            let actual: [String: Int] = [
                "weightedLength": result.weightedLength,
                "permillage": result.permillage,
                "displayRangeStart": result.displayRangeStart,
                "displayRangeEnd": result.displayRangeEnd,
                "validRangeStart": result.validRangeStart,
                "validRangeEnd": result.validRangeEnd,
            ]
            for (key, value) in actual {
                #expect(value == expected[key] as? Int, "\(section) — \(testCase.description): \(key)")
            }
            #expect(result.valid == expected["valid"] as? Bool, "\(section) — \(testCase.description): valid")
        }
    }

    @Test func weightedTweetsCounterWithConfigV2() throws {
        try expectParse(section: "WeightedTweetsCounterTest", configuration: .v2)
    }

    @Test func weightedTweetsWithDiscountedEmojiWithConfigV3() throws {
        try expectParse(section: "WeightedTweetsWithDiscountedEmojiCounterTest", configuration: .v3)
    }

    @Test func unicodeDirectionalMarkersWithConfigV3() throws {
        try expectParse(section: "UnicodeDirectionalMarkerCounterTest", configuration: .v3)
    }

    @Test(arguments: [("v1", TwitterTextConfiguration.v1), ("v2", .v2), ("v3", .v3)])
    func builtInConfigurationsMatchTwitterTextFiles(name: String, configuration: TwitterTextConfiguration) throws {
        let data = try Data(contentsOf: ConformanceData.url("twitter-text/\(name).json"))
        let decoded = try JSONDecoder().decode(TwitterTextConfiguration.self, from: data)
        #expect(decoded == configuration)
    }

    @Test func blankTextIsTwitterTextsEmptyResultButPassesTheComposerCheck() {
        let rules = XTextRules()
        #expect(rules.parse("  \n ") == .blank)
        let check = rules.check("")
        #expect(check.valid)
        #expect(check.length == 0)
    }

    @Test func checkReportsWeightedLengthAndEntities() {
        let check = XTextRules().check("Hi http://test.co #swift @jack 漢字")
        #expect(check.length == 26 + 14 + 4)
        #expect(check.limit == 280)
        #expect(check.valid)
        #expect(check.entities.map(\.kind) == [.url, .hashtag, .mention])
        #expect(check.entities.first == TextEntity(kind: .url, start: 3, end: 17, text: "http://test.co"))
    }

    @Test func checkFlagsTooLongAndInvalidCharacters() {
        let check = XTextRules().check(String(repeating: "x", count: 281) + "\u{FFFF}")
        #expect(!check.valid)
        #expect(check.problems == [.invalidCharacters, .tooLong])
    }
}
