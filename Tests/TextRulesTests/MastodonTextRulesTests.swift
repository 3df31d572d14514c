import Testing
import TextRules

@Suite struct MastodonTextRulesTests {
    private let rules = MastodonTextRules()

    @Test func fiveHundredFlagsAreFiveHundredCharacters() {
        let flags = String(repeating: "🇫🇷", count: 500)
        #expect(flags.unicodeScalars.count == 1000)
        let check = rules.check(flags)
        #expect(check.length == 500)
        #expect(check.valid)
        #expect(!rules.check(flags + "🏳️‍🌈").valid)
    }

    @Test func aLongLinkCountsAsTheReservedLength() {
        let url = "https://example.com/" + String(repeating: "a", count: 180)
        #expect(url.count == 200)
        let check = rules.check(url)
        #expect(check.length == 23)
        #expect(check.entities == [TextEntity(kind: .url, start: 0, end: 200, text: url)])
    }

    @Test func aLinkWithoutProtocolIsPlainText() {
        let check = rules.check("see example.com/some/long/path")
        #expect(check.length == 30)
        #expect(check.entities.isEmpty)
    }

    @Test func aRemoteMentionCountsAsTheLocalPart() {
        let check = rules.check("hi @user@example.social")
        #expect(check.length == "hi @user".count)
        #expect(check.entities == [TextEntity(kind: .mention, start: 3, end: 23, text: "@user@example.social")])
    }

    @Test func localMentionsCountInFull() {
        #expect(rules.check("@alice and @bob.smith").length == 21)
    }

    @Test func anEmailAddressIsNotAMention() {
        let check = rules.check("mail me@example.com")
        #expect(check.entities.isEmpty)
        #expect(check.length == 19)
    }

    @Test func contentWarningCountsWithTheText() {
        let check = rules.check(String(repeating: "a", count: 490), contentWarning: "spoilers!!!")
        #expect(check.length == 501)
        #expect(check.problems == [.tooLong])
    }

    @Test func theInstanceSetsLimitAndLinkReservation() {
        let rules = MastodonTextRules(limit: 1000, charactersReservedPerURL: 30)
        let check = rules.check("read https://example.com/a")
        #expect(check.length == 5 + 30)
        #expect(check.limit == 1000)
    }

    @Test func hashtagsAreReportedButCountAsWritten() {
        let check = rules.check("#swift is nice")
        #expect(check.length == 14)
        #expect(check.entities.map(\.text) == ["#swift"])
    }
}
