import Testing
import TextRules

/// The compose check takes any text a client sends; texts built to make a backtracking regex
/// explode must still be checked in about linear time.
@Suite struct AdversarialTextTests {
    @Test(arguments: [
        String(repeating: ".a", count: 30_000),
        String(repeating: "ab.", count: 20_000),
        String(repeating: "é", count: 30_000) + "." + String(repeating: "a", count: 30_000),
        String(repeating: "(", count: 60_000) + " x.com",
        "http://x.com/" + String(repeating: "(", count: 30_000),
        String(repeating: "@", count: 60_000) + "a",
    ])
    func longAdversarialTextsAreCheckedQuickly(text: String) {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for network in Network.allCases {
                _ = TextRulesCatalog.standard.rules(for: network).check(text)
            }
        }
        // Quadratic scanning took minutes on these; linear takes well under a second.
        #expect(elapsed < .seconds(10))
    }
}
