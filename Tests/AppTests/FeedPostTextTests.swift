@testable import App
import Feeds
import Foundation
import Testing
import TextRules

/// A feed item's text on a network: tagged link, fitted to the network's length rules by
/// shortening the summary, then the title — never the link.
@Suite struct FeedPostTextTests {
    let link = URL(string: "https://bakery.example/blog/a-very-long-article-address-that-goes-on-and-on-for-quite-a-while?ref=home")!

    private func writer(_ template: String, _ network: Network) -> FeedPostText {
        FeedPostText(template: template, network: network, rules: TextRulesCatalog.standard.rules(for: network))
    }

    @Test func aTitleTooLongIsShortenedWithAnEllipsisAndTheLinkKeptWhole() {
        let title = String(repeating: "Sourdough starter secrets ", count: 20).trimmingCharacters(in: .whitespaces)
        let item = FeedItem(id: "1", title: title, link: link)
        let (text, fits) = writer("New on the blog: {title} {link}", .bluesky).text(for: item, feedTitle: nil)
        #expect(fits)
        #expect(TextRulesCatalog.standard.rules(for: .bluesky).check(text).valid)
        let tagged = "https://bakery.example/blog/a-very-long-article-address-that-goes-on-and-on-for-quite-a-while?ref=home&utm_source=bluesky&utm_medium=social&utm_campaign=feed"
        #expect(text.hasSuffix("… " + tagged), "\(text)")
        #expect(text.hasPrefix("New on the blog: Sourdough starter secrets"))
        #expect(text.count > 250, "as much of the title as fits is kept")
    }

    @Test func theSummaryShrinksAndGoesBeforeTheTitleIsCut() {
        let summary = String(repeating: "Crumb, crust and patience. ", count: 30)
        let item = FeedItem(id: "1", title: "How we bake rye", link: link, summary: "<p>\(summary)</p>")
        let (text, fits) = writer("{title}\n{summary}\n{link}", .x).text(for: item, feedTitle: nil)
        #expect(fits)
        #expect(text.hasPrefix("How we bake rye\nCrumb, crust and patience."))
        #expect(text.contains("…\nhttps://bakery.example/blog/"))
        #expect(TextRulesCatalog.standard.rules(for: .x).check(text).valid)

        let long = FeedItem(id: "2", title: String(repeating: "Rye ", count: 100), link: link, summary: summary)
        let (short, _) = writer("{title}\n{summary}\n{link}", .x).text(for: long, feedTitle: nil)
        #expect(!short.contains("Crumb"), "the summary is dropped before the title is cut")
        #expect(short.contains("…\n\nhttps://") || short.contains("…\nhttps://"))
    }

    @Test func aLinkThatCannotFitIsNeverCut() {
        let huge = URL(string: "https://bakery.example/" + String(repeating: "a", count: 400))!
        let (text, fits) = writer("{title} {link}", .bluesky).text(for: FeedItem(id: "1", title: "Rye", link: huge), feedTitle: nil)
        #expect(!fits)
        #expect(text.contains(huge.absoluteString + "?utm_source=bluesky"))
    }

    @Test func trackingTagsKeepTheLinksQueryAndAreNotAddedTwice() {
        #expect(FeedPostText.tagged(URL(string: "https://b.example/p?a=1%202&b")!, source: "mastodon").absoluteString
            == "https://b.example/p?a=1%202&b&utm_source=mastodon&utm_medium=social&utm_campaign=feed")
        #expect(FeedPostText.tagged(URL(string: "https://b.example/p?utm_source=news#top")!, source: "x").absoluteString
            == "https://b.example/p?utm_source=news&utm_medium=social&utm_campaign=feed#top")
        let once = FeedPostText.tagged(URL(string: "https://b.example/p")!, source: "x")
        #expect(FeedPostText.tagged(once, source: "x") == once)
    }

    @Test func oneArticleUnderItsDisguisesHasOneLinkKey() {
        let key = FeedPostText.linkKey(URL(string: "https://bakery.example/blog/rye?b=2&a=1"))
        for disguise in ["http://www.bakery.example/blog/rye/?a=1&b=2", "https://BAKERY.example/blog/rye?a=1&utm_source=rss&b=2#comments"] {
            #expect(FeedPostText.linkKey(URL(string: disguise)) == key, "\(disguise)")
        }
        #expect(FeedPostText.linkKey(URL(string: "https://bakery.example/blog/wheat")) != key)
    }

    @Test(arguments: ["", "   ", "Nothing to fill in", "{title} {headline}"])
    func aTemplateWithoutPlaceholdersOrWithUnknownOnesIsRefused(_ template: String) {
        #expect(FeedPostText.problem(with: template) != nil)
    }

    @Test func plainSummariesDropTagsAndDecodeEntities() {
        #expect(FeedItem(id: "1", summary: "<p>Rye &amp; <b>wheat</b></p>\n<p>today</p>").plainSummary == "Rye & wheat today")
        #expect(FeedItem(id: "1", content: "<p>Only content</p>").plainSummary == "Only content")
        #expect(FeedItem(id: "1").plainSummary == nil)
    }
}
