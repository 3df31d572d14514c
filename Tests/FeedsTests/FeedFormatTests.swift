import Feeds
import Foundation
import Testing

/// Each format and version, read from a feed in the shape its usual publishers write.
@Suite struct FeedFormatTests {
    @Test func wordPressRSSGivesContentAuthorsAndCategories() throws {
        let feed = try FeedFixtures.feed("wordpress-rss2.xml")
        #expect(feed.format == .rss20)
        #expect(feed.title == "Crumb & Co. Bakery")
        #expect(feed.link?.absoluteString == "https://crumb.example")
        #expect(feed.image?.absoluteString == "https://crumb.example/wp-content/uploads/2026/01/cropped-loaf-32x32.png")
        #expect(feed.items.count == 2)
        let post = feed.items[0]
        #expect(post.id == "https://crumb.example/?p=1482")
        #expect(post.title == "Why our sourdough takes 36 hours \u{2013} and why it\u{2019}s worth it")
        #expect(post.link?.absoluteString == "https://crumb.example/2026/12/01/why-our-sourdough-takes-36-hours/")
        #expect(post.published == utc(2026, 12, 1, 8, 30))
        #expect(post.authors == [FeedAuthor(name: "Maya Okafor")])
        #expect(post.categories == ["Bread", "Behind the counter"])
        #expect(post.summary?.hasPrefix("<p>Most of what makes a good loaf happens while we sleep. Here is") == true)
        // CDATA is taken as written: the HTML entity inside it is the HTML's business.
        #expect(post.content?.contains("At 4&nbsp;pm we feed the starter &amp; leave it on the bench.") == true)
        #expect(post.content?.contains("<h2 class=\"wp-block-heading\">Day one: the levain</h2>") == true)
    }

    @Test func podcastRSSGivesEnclosuresAndEpisodeImages() throws {
        let feed = try FeedFixtures.feed("podcast-rss2.xml")
        #expect(feed.image?.absoluteString == "https://cdn.example.fm/rising-dough/cover-3000.jpg")
        #expect(feed.description == "A weekly show about small food businesses \u{2014} the ovens, the spreadsheets and the 5 a.m. starts.")
        let (latest, earlier) = (feed.items[0], feed.items[1])
        #expect(latest.id == "rising-dough-ep-42")
        #expect(latest.link?.absoluteString == "https://risingdough.example/episodes/42")
        #expect(latest.published == utc(2026, 11, 30, 13))
        #expect(latest.enclosures == [FeedEnclosure(url: URL(string: "https://cdn.example.fm/rising-dough/ep42.mp3")!, type: "audio/mpeg", length: 48_213_597)])
        #expect(latest.image?.absoluteString == "https://cdn.example.fm/rising-dough/ep42.jpg")
        #expect(latest.authors == [FeedAuthor(name: "Lena Brandt")])
        // A guid that is a permalink is the link when there is no <link>; a bad length is left out.
        #expect(earlier.link?.absoluteString == "https://risingdough.example/episodes/41")
        #expect(earlier.enclosures.first?.length == nil)
        #expect(earlier.published == utc(2026, 11, 23, 13))
    }

    @Test func rss092TitlesWithHTMLBecomePlainTextAndItemsWithoutIdsGetStableOnes() throws {
        let feed = try FeedFixtures.feed("rss092.xml")
        #expect(feed.format == .rss092)
        #expect(feed.items.map(\.title) == ["December's loaf: Panettone", "November's loaf: Pumpernickel"])
        #expect(feed.items[0].summary == "<p>Butter, candied orange &amp; patience.</p>")
        #expect(feed.items[0].categories == ["Members"])
        let ids = feed.items.map(\.id)
        #expect(ids.allSatisfy { $0.hasPrefix("hash:") } && Set(ids).count == 2)
        #expect(try FeedFixtures.feed("rss092.xml").items.map(\.id) == ids)
    }

    @Test func netscapeRSS091WithItsDoctypeAndLatin1BytesReads() throws {
        let feed = try FeedFixtures.feed("netscape-rss091.xml")
        #expect(feed.format == .rss091)
        #expect(feed.title == "Pâtisserie Lucien")
        #expect(feed.description == "Nouvelles de la pâtisserie\u{A0}\u{2014} every week")
        #expect(feed.image?.absoluteString == "http://patisserie-lucien.example/logo.gif")
        #expect(feed.items.map(\.title) == ["La bûche de Noël & the Christmas menu", "Galettes des rois"])
        // No guid: the link is the id.
        #expect(feed.items[0].id == "http://patisserie-lucien.example/noel.html")
        #expect(feed.items[0].summary == "Orders open on 1\u{A0}December.")
    }

    @Test func rss090AndRSS10ReadItemsBesideTheChannel() throws {
        let old = try FeedFixtures.feed("rss090.xml")
        #expect(old.format == .rss090)
        #expect(old.items.map(\.title) == ["Rye is back", "New opening hours"])
        #expect(old.image?.absoluteString == "http://cornerbakery.example/images/logo.gif")

        let rdf = try FeedFixtures.feed("rdf-rss10.xml")
        #expect(rdf.format == .rss10)
        #expect(rdf.title == "The Millers' Journal")
        #expect(rdf.items.map(\.id) == ["https://millers.example/2026/12/spelt-harvest", "https://millers.example/2026/11/new-millstone"])
        #expect(rdf.items[0].published == utc(2026, 12, 1, 8))
        #expect(rdf.items[0].authors == [FeedAuthor(name: "Jonas Weber")])
        #expect(rdf.items[0].categories == ["harvest"])
        #expect(rdf.items[1].published == utc(2026, 11, 14))
        #expect(rdf.items[1].content == "<p>It weighs <em>a tonne</em>.</p>")
    }

    @Test func bloggerAtomGivesTheAlternateLinkAmongManyAndZonedDates() throws {
        let feed = try FeedFixtures.feed("blogger-atom.xml")
        #expect(feed.format == .atom10)
        #expect(feed.link?.absoluteString == "https://flouronthefloor.example/")
        let post = feed.items[0]
        #expect(post.id == "tag:blogger.com,1999:blog-7345120976611235101.post-4410981652307162519")
        #expect(post.title == "Saturday at the market: rye, rhubarb & rain")
        #expect(post.link?.absoluteString == "https://flouronthefloor.example/2026/11/saturday-at-market.html")
        #expect(post.published.map { abs($0.timeIntervalSince(utc(2026, 12, 1, 5, 10))) < 0.01 } == true)
        #expect(post.updated.map { abs($0.timeIntervalSince(utc(2026, 12, 1, 5, 14, 3))) < 0.2 } == true)
        #expect(post.content?.hasPrefix("<div class=\"separator\"><a href=") == true)
        #expect(post.image?.absoluteString == "https://blogger.googleusercontent.com/img/b/R29v/s72-c/rye.jpg")
        #expect(post.authors.first?.name == "Priya N.")
        #expect(post.categories == ["markets"])
    }

    @Test func youTubeAtomGivesTheThumbnailAndDescriptionFromTheMediaGroup() throws {
        let video = try #require(try FeedFixtures.feed("youtube-atom.xml").items.first)
        #expect(video.id == "yt:video:Q8bX1mY2kPw")
        #expect(video.link?.absoluteString == "https://www.youtube.com/watch?v=Q8bX1mY2kPw")
        #expect(video.image?.absoluteString == "https://i2.ytimg.com/vi/Q8bX1mY2kPw/hqdefault.jpg")
        #expect(video.summary == "Tension, not pressure. Maya shows the two folds and the roll.")
        #expect(video.authors == [FeedAuthor(name: "Crumb & Co. Kitchen", url: URL(string: "https://www.youtube.com/channel/UCk3rQ9vJmZkq0fWbAkeR2xQ"))])
    }

    @Test func shopifyAtomKeepsTheHTMLSummaryAndTheFeedsAuthor() throws {
        let feed = try FeedFixtures.feed("shopify-atom.xml")
        let product = try #require(feed.items.first)
        #expect(feed.items.count == 1)
        #expect(product.id == "https://shop.crumb.example/products/7411882508381")
        #expect(product.title == "Stollen, 1 kg")
        #expect(product.link?.absoluteString == "https://shop.crumb.example/products/stollen-1kg")
        #expect(product.summary?.hasPrefix("<table>") == true && product.summary?.contains("Marzipan, rum-soaked fruit") == true)
        #expect(product.published == utc(2026, 10, 4, 15, 29, 52))
        #expect(product.authors == [FeedAuthor(name: "Crumb & Co. Shop")])
    }

    @Test func atom03ReadsEscapedAndBase64Content() throws {
        let feed = try FeedFixtures.feed("atom03.xml")
        #expect(feed.format == .atom03)
        #expect(feed.title == "Dough & Dreams")
        #expect(feed.description == "Notes from a village bakery")
        let (first, second) = (feed.items[0], feed.items[1])
        #expect(first.published == utc(2026, 11, 30, 18))
        #expect(first.updated == utc(2026, 11, 30, 18, 20))
        #expect(first.content == "<p>The first tray is out, <b>and</b> the second is in.</p>")
        #expect(first.authors == [FeedAuthor(name: "Tom Hale")])
        #expect(second.content == "We are on holiday.")
        #expect(second.published == utc(2026, 8, 1, 6))
    }

    @Test func xmlBaseResolvesLinksDownTheTreeOverTheFeedsURL() throws {
        let feed = try FeedFixtures.feed("xml-base-atom.xml", url: "https://oven.example/feeds/atom.xml")
        #expect(feed.title == "The Oven Journal")
        #expect(feed.link?.absoluteString == "https://oven.example/journal/")
        #expect(feed.image?.absoluteString == "https://oven.example/images/logo.png")
        let (rye, elsewhere) = (feed.items[0], feed.items[1])
        #expect(rye.title == "Rye & caraway")
        #expect(rye.link?.absoluteString == "https://oven.example/journal/2026/12/rye-and-caraway")
        #expect(rye.enclosures.first?.url.absoluteString == "https://oven.example/media/rye.jpg")
        #expect(rye.enclosures.first?.length == 120_311)
        #expect(rye.image?.absoluteString == "https://oven.example/media/rye.jpg")
        #expect(rye.authors.first?.url?.absoluteString == "https://oven.example/people/ines")
        #expect(rye.content == "<p>Caraway <a href=\"seeds\">seeds</a> &amp; rye.</p>")
        #expect(elsewhere.link?.absoluteString == "http://other.example/archive/moved.html")
    }

    @Test func jsonFeed10GivesItsSingleAuthorAndNumericIds() throws {
        let feed = try FeedFixtures.feed("jsonfeed-1.0.json")
        #expect(feed.format == .json10)
        #expect(feed.title == "Crumb & Co. Notes")
        #expect(feed.link?.absoluteString == "https://notes.crumb.example/")
        #expect(feed.image?.absoluteString == "https://notes.crumb.example/icon-512.png")
        let (buns, flour) = (feed.items[0], feed.items[1])
        #expect(buns.published == utc(2026, 12, 1, 8, 15))
        #expect(buns.updated == utc(2026, 12, 1, 9))
        #expect(buns.image?.absoluteString == "https://notes.crumb.example/images/cardamom.jpg")
        #expect(buns.categories == ["buns", "seasonal"])
        #expect(buns.authors == [FeedAuthor(name: "Maya Okafor", url: URL(string: "https://notes.crumb.example/about"))])
        #expect(flour.id == "1418")
        #expect(flour.title == nil)
        #expect(flour.content?.hasPrefix("We changed flour mills.") == true)
        #expect(flour.authors == [FeedAuthor(name: "Sam Reyes")])
    }

    @Test func jsonFeed11GivesAuthorsAndAttachmentsAndLeavesOutWhatIsWronglyTyped() throws {
        let feed = try FeedFixtures.feed("jsonfeed-1.1.json")
        #expect(feed.format == .json11)
        let (latest, earlier) = (feed.items[0], feed.items[1])
        #expect(latest.authors.map(\.name) == ["Lena Brandt", "Ana Lima"])
        #expect(latest.enclosures == [FeedEnclosure(url: URL(string: "https://cdn.example.fm/rising-dough/ep42.mp3")!, type: "audio/mpeg", length: 48_213_597)])
        #expect(earlier.link?.absoluteString == "https://risingdough.example/episodes/41")
        #expect(earlier.categories.isEmpty && earlier.enclosures.isEmpty)
        #expect(earlier.authors == [FeedAuthor(name: "Lena Brandt", url: URL(string: "https://risingdough.example/lena"))])
    }
}
