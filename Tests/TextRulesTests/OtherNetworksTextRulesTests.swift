import Foundation
import Testing
import TextRules

@Suite struct OtherNetworksTextRulesTests {
    @Test func instagramRefusesThirtyOneHashtags() {
        let rules = InstagramTextRules()
        let thirty = (1...30).map { "#tag\($0)" }.joined(separator: " ")
        #expect(rules.check(thirty).valid)
        let check = rules.check(thirty + " #tag31")
        #expect(check.problems == [.tooManyHashtags])
    }

    @Test func instagramRefusesTwentyOneMentions() {
        let rules = InstagramTextRules()
        let twenty = (1...20).map { "@user.\($0)" }.joined(separator: " ")
        #expect(rules.check(twenty).valid)
        #expect(rules.check(twenty + " @another_one").problems == [.tooManyMentions])
    }

    @Test func instagramCaptionLimit() {
        let rules = InstagramTextRules()
        #expect(rules.check(String(repeating: "a", count: 2200)).valid)
        #expect(rules.check(String(repeating: "a", count: 2201)).problems == [.tooLong])
        #expect(rules.check(String(repeating: "😀", count: 1100)).length == 2200)
    }

    @Test func linkedInEscapesLittleTextReservedCharacters() {
        let escaped = LinkedInTextRules.escapedCommentary(##"Hi @team (see [docs]) {x|y} <b> #1 a\b *c* _d_ ~e~"##)
        #expect(escaped == ##"Hi \@team \(see \[docs\]\) \{x\|y\} \<b\> \#1 a\\b \*c\* \_d\_ \~e\~"##)
        #expect(LinkedInTextRules.escapedCommentary("plain text, 100% fine.") == "plain text, 100% fine.")
    }

    @Test func linkedInLimitAndEntities() {
        let rules = LinkedInTextRules()
        let check = rules.check("New post https://example.com/a #launch")
        #expect(check.entities.map(\.kind) == [.url, .hashtag])
        #expect(rules.check(String(repeating: "a", count: 3001)).problems == [.tooLong])
    }

    @Test func facebookPageLimit() {
        let rules = FacebookTextRules()
        #expect(rules.limit == 63_206)
        #expect(rules.check(String(repeating: "a", count: 63_206)).valid)
        #expect(!rules.check(String(repeating: "a", count: 63_207)).valid)
    }

    @Test func threadsCountsEmojiByUTF8Bytes() {
        let rules = ThreadsTextRules()
        #expect(rules.check("hello 😀").length == 10)
        #expect(rules.check(String(repeating: "a", count: 500)).valid)
        #expect(rules.check(String(repeating: "a", count: 497) + "😀").problems == [.tooLong])
    }

    @Test func threadsRefusesMoreThanFiveLinks() {
        let rules = ThreadsTextRules()
        let five = (1...5).map { "https://example.com/\($0)" }.joined(separator: " ")
        #expect(rules.check(five + " https://example.com/1").valid)
        #expect(rules.check(five + " https://example.com/6").problems == [.tooManyLinks])
    }

    @Test func catalogHandsOutEachNetworksRules() {
        for network in Network.allCases {
            #expect(TextRulesCatalog.standard.rules(for: network).network == network)
        }
        #expect(Network.allCases.map(\.rawValue) == ["x", "mastodon", "bluesky", "linkedin", "facebook", "instagram", "threads", "site"])
        let limits = Network.allCases.map { TextRulesCatalog.standard.rules(for: $0).limit }
        #expect(limits == [280, 500, 300, 3000, 63_206, 2200, 500, 10_000])
    }

    @Test func siteMarksLinksRemoteMentionsAndTagsWithinTenThousandCharacters() {
        let check = SiteTextRules().check("Rye at https://bakery.com/rye with @miller@mill.example #bread")
        #expect(check.entities.map(\.kind) == [.url, .mention, .hashtag])
        #expect(check.entities.map(\.text) == ["https://bakery.com/rye", "@miller@mill.example", "#bread"])
        #expect(SiteTextRules().check(String(repeating: "é", count: 10_000)).valid)
        #expect(SiteTextRules().check(String(repeating: "é", count: 10_001)).problems == [.tooLong])
    }

    @Test func catalogUsesAChannelsMastodonSettings() {
        var catalog = TextRulesCatalog.standard
        catalog.mastodon = MastodonTextRules(limit: 5000)
        #expect(catalog.check("hi", for: [.mastodon, .x])[.mastodon]?.limit == 5000)
    }

    @Test func entitiesEncodeInTheComposeCheckShape() throws {
        let check = XTextRules().check("Hi #swift")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(check), as: UTF8.self)
        #expect(json == ##"{"facets":[{"end":9,"start":3,"text":"#swift","type":"hashtag"}],"length":9,"limit":280,"valid":true}"##)
    }
}
