import Testing
import TextRules

/// `TextRulesCatalog.check(_:for:)` shares work across networks; whatever networks it is asked
/// for, and in whatever order, each answer must be the one that network's own check gives.
@Suite struct CatalogSharingTests {
    private static let extractSections = [
        "mentions", "mentions_with_indices", "mentions_or_lists_with_indices", "replies", "urls",
        "urls_with_indices", "urls_with_directional_markers", "tco_urls_with_params", "hashtags",
        "hashtags_from_astral", "hashtags_with_indices", "cashtags", "cashtags_with_indices",
    ]

    private static let handWritten = [
        "", "   ", "first line\r\nsecond line",
        "New post https://example.com/a #launch @alice.bsky.social and @bob@example.social",
        "see example.com/some/long/path and HTTPS://Example.COM/x?y=1 #tag#tag",
        "Cafe\u{301} #cafe\u{301} https://cafe\u{301}.com e\u{301}xample.com",  // not NFC
        "🏳️‍🌈 🇫🇷 #️⃣ 1️⃣ 👩🏽‍💻 © ®️ https://t.co/abcdef?x=1 #日本語 ＃タグ @user_name",
        "http://a.b.c.d.e.f.g.example.com/(nested(parens)) (https://x.com/a) sub_domain.example.com",
        "@a @b @c #1 #a1 mail me@example.com https://x.com/@user #ok. #x://y",
    ]

    private func texts() throws -> [String] {
        var texts = Self.handWritten
        for section in Self.extractSections {
            texts += try ConformanceData.twitterTextCases("extract.yml", section: section).map(\.text)
        }
        return texts
    }

    @Test func everyNetworkGetsItsOwnAnswerWhateverTheOrder() throws {
        let catalog = TextRulesCatalog.standard
        let all = Network.allCases
        let orders = [all, Array(all.reversed()), [.threads, .instagram, .x, .mastodon], [.facebook], [.mastodon, .x]]
        for text in try texts() {
            let own = Dictionary(uniqueKeysWithValues: all.map { ($0, catalog.rules(for: $0).check(text)) })
            for order in orders {
                let shared = catalog.check(text, for: order)
                #expect(shared.count == order.count)
                for network in order {
                    #expect(shared[network] == own[network], "\(network) in \(order): \(text.debugDescription)")
                }
            }
        }
    }

    /// Mastodon takes its links from the shared scan (which also finds links without a
    /// protocol), keeping those with one; that must be what a protocol-only scan finds.
    @Test func linksWithProtocolAreThoseOfAProtocolOnlyScan() throws {
        for text in try texts() {
            let withProtocol = TwitterTextExtractor().urls(in: text).filter {
                let lower = $0.text.lowercased()
                return lower.hasPrefix("http://") || lower.hasPrefix("https://")
            }
            #expect(TwitterTextExtractor(requiresProtocol: true).urls(in: text) == withProtocol, "\(text.debugDescription)")
        }
    }
}
