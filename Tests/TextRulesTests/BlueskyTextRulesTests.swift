import Foundation
import Testing
import TextRules

@Suite struct BlueskyTextRulesTests {
    private let rules = BlueskyTextRules()

    @Test func limitIsGraphemesAndBytes() {
        #expect(rules.check(String(repeating: "é", count: 300)).valid)
        #expect(rules.check(String(repeating: "a", count: 301)).problems == [.tooLong])
        // 300 family emoji: 300 graphemes but 25 bytes each.
        let families = String(repeating: "👨‍👩‍👧‍👦", count: 300)
        let check = rules.check(families)
        #expect(check.length == 300)
        #expect(check.problems == [.tooManyBytes])
    }

    @Test func byteOffsetsCountEmojiBeforeALink() {
        let text = "✨😀 see https://example.com/a"
        let facets = rules.facets(in: text)
        let start = "✨😀 see ".utf8.count
        #expect(start == 12)
        #expect(
            facets == [
                BlueskyFacet(
                    index: .init(byteStart: start, byteEnd: start + 21),
                    features: [.link(uri: "https://example.com/a")])
            ])
    }

    @Test func aBareDomainLinksToHTTPS() {
        let facets = rules.facets(in: "go to example.com/path now")
        #expect(facets.first?.features == [.link(uri: "https://example.com/path")])
        #expect(facets.first?.index == .init(byteStart: 6, byteEnd: 22))
    }

    @Test func aBareWordWithUnknownTopLevelDomainIsNotALink() {
        #expect(rules.facets(in: "see file.txtx or main.swiftly").isEmpty)
    }

    @Test(arguments: [".", ",", ";", ":", "!", "?"])
    func trailingPunctuationIsNotPartOfALink(mark: String) {
        let facets = rules.facets(in: "look at https://example.com/x\(mark)")
        #expect(facets.first?.features == [.link(uri: "https://example.com/x")])
        #expect(facets.first?.index.byteEnd == 29)
    }

    @Test func anUnbalancedClosingParenthesisIsNotPartOfALink() {
        let facets = rules.facets(in: "(see example.com/a)")
        #expect(facets.first?.features == [.link(uri: "https://example.com/a")])
        let balanced = rules.facets(in: "https://en.wikipedia.org/wiki/Primer_(film)")
        #expect(balanced.first?.features == [.link(uri: "https://en.wikipedia.org/wiki/Primer_(film)")])
    }

    @Test func mentionsCarryTheHandleUntilResolved() throws {
        let facets = rules.facets(in: "hello @alice.bsky.social.")
        #expect(facets.count == 1)
        let facet = try #require(facets.first)
        #expect(facet.index == .init(byteStart: 6, byteEnd: 24))
        #expect(facet.unresolvedHandle == "alice.bsky.social")
        let resolved = facet.resolved(did: "did:plc:abc123")
        #expect(resolved.features == [.mention(handle: "alice.bsky.social", did: "did:plc:abc123")])
        #expect(resolved.unresolvedHandle == nil)
    }

    @Test func invalidHandlesAreNotMentions() {
        #expect(rules.facets(in: "@alice and @bob.notatld and me@example.com").isEmpty)
    }

    @Test func tagsAreStoredWithoutTheHashSign() {
        let facets = rules.facets(in: "#swift, #日本語 and #2024")
        #expect(facets.map(\.features) == [[.tag("swift")], [.tag("日本語")]])
        #expect(facets.first?.index == .init(byteStart: 0, byteEnd: 6))
    }

    @Test func aTagOfSixtyFiveGraphemesIsNotATag() {
        #expect(rules.facets(in: "#" + String(repeating: "a", count: 64)).count == 1)
        #expect(rules.facets(in: "#" + String(repeating: "a", count: 65)).isEmpty)
    }

    @Test func facetsEncodeInTheATProtocolShape() throws {
        let check = rules.check("hi @alice.bsky.social #tag https://x.com")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(check), as: UTF8.self)
        #expect(
            json
                == #"{"facets":[{"features":[{"$type":"app.bsky.richtext.facet#mention","did":"alice.bsky.social"}],"index":{"byteEnd":21,"byteStart":3}},"#
                + ##"{"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"tag"}],"index":{"byteEnd":26,"byteStart":22}},"##
                + #"{"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://x.com"}],"index":{"byteEnd":40,"byteStart":27}}],"#
                + #""length":40,"limit":300,"valid":true}"#)
        let decoded = try JSONDecoder().decode([BlueskyFacet].self, from: encoder.encode(check.blueskyFacets))
        #expect(decoded.map(\.index) == check.blueskyFacets.map(\.index))
    }
}
