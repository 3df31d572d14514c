import Testing
import TextRules

/// twitter-text's `extract.yml`: every case of the link, mention and hashtag sections.
@Suite struct TwitterExtractionTests {
    private let extractor = TwitterTextExtractor()

    /// `screen_name`/`hashtag` values are stored without their sign; our entities keep it.
    private func withoutSign(_ entity: TextEntity) -> String {
        String(entity.text.unicodeScalars.dropFirst())
    }

    private func expectValues(
        section: String, extract: (String) -> [TextEntity], value: (TextEntity) -> String
    ) throws {
        let cases = try ConformanceData.twitterTextCases("extract.yml", section: section)
        #expect(!cases.isEmpty)
        for testCase in cases {
            let expected = testCase.expected as? [String] ?? []
            let actual = extract(testCase.text).map(value)
            #expect(actual == expected, "\(section) — \(testCase.description)")
        }
    }

    private func expectIndices(
        section: String, valueKey: String, extract: (String) -> [TextEntity], value: (TextEntity) -> String
    ) throws {
        let cases = try ConformanceData.twitterTextCases("extract.yml", section: section)
        #expect(!cases.isEmpty)
        for testCase in cases {
            let expected = (testCase.expected as? [[String: Any]] ?? []).map { entry in
                "\(entry[valueKey] as? String ?? "?") \((entry["indices"] as? [Int]) ?? [])"
            }
            let actual = extract(testCase.text).map { "\(value($0)) \([$0.start, $0.end])" }
            #expect(actual == expected, "\(section) — \(testCase.description)")
        }
    }

    @Test func urls() throws {
        try expectValues(section: "urls", extract: extractor.urls(in:), value: \.text)
    }

    @Test func urlsWithIndices() throws {
        try expectIndices(section: "urls_with_indices", valueKey: "url", extract: extractor.urls(in:), value: \.text)
    }

    @Test func urlsWithDirectionalMarkers() throws {
        try expectIndices(
            section: "urls_with_directional_markers", valueKey: "url", extract: extractor.urls(in:), value: \.text)
    }

    @Test func tcoURLsWithParameters() throws {
        try expectValues(section: "tco_urls_with_params", extract: extractor.urls(in:), value: \.text)
    }

    @Test func mentions() throws {
        try expectValues(section: "mentions", extract: extractor.mentions(in:), value: withoutSign)
    }

    @Test func mentionsWithIndices() throws {
        try expectIndices(
            section: "mentions_with_indices", valueKey: "screen_name", extract: extractor.mentions(in:),
            value: withoutSign)
    }

    @Test func hashtags() throws {
        try expectValues(section: "hashtags", extract: extractor.hashtags(in:), value: withoutSign)
    }

    @Test func hashtagsFromAstralPlanes() throws {
        try expectValues(section: "hashtags_from_astral", extract: extractor.hashtags(in:), value: withoutSign)
    }

    @Test func hashtagsWithIndices() throws {
        try expectIndices(
            section: "hashtags_with_indices", valueKey: "hashtag", extract: extractor.hashtags(in:),
            value: withoutSign)
    }

    @Test func requiringAProtocolLeavesBareDomainsOut() {
        let urls = TwitterTextExtractor(requiresProtocol: true).urls(in: "see example.com and https://example.org/a")
        #expect(urls.map(\.text) == ["https://example.org/a"])
    }

    @Test func entitiesInOrderWithoutOverlaps() {
        let entities = extractor.entities(in: "@ann see http://x.com/#tag and #real")
        #expect(entities.map(\.text) == ["@ann", "http://x.com/#tag", "#real"])
    }

    @Test func offsetsCountUnicodeScalars() {
        let entities = extractor.entities(in: "😷 #tag")
        #expect(entities == [TextEntity(kind: .hashtag, start: 2, end: 6, text: "#tag")])
    }
}
