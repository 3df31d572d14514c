import Foundation
import Fuzzing
@testable import Networks
import Testing

/// Status HTML from any server made into `SafeHTML`: links, paragraphs and breaks kept, the
/// text of everything else kept readable, and nothing else — not under hostile markup, and not
/// under a seeded mutation fuzzer over real-shaped statuses.
@Suite struct SafeHTMLSanitizingTests {
    static func fixture(_ name: String) throws -> String {
        // Without the file's last line break, which is no part of a status.
        try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)"), encoding: .utf8)
            .trimmingCharacters(in: .newlines)
    }

    /// What is wrong with `html` as `SafeHTML`; nil when nothing is: every `<` opens `p`, `br`
    /// or an `a` Trestle wrote with an http(s) `href`, and text holds no raw `>`, quotes, or `&`
    /// that starts anything but the five entities `SafeHTML.escape` writes. Read scalar by
    /// scalar, as a browser does: a combining mark after `>` is text after the tag.
    static func problem(in html: String) -> String? {
        let allowed = ["<p>", "</p>", "<br>", "</a>"].map { Array($0.unicodeScalars) }
        let linkOpen = Array(#"<a href=""#.unicodeScalars), linkClose = Array(#"" rel="nofollow noopener noreferrer" target="_blank">"#.unicodeScalars)
        let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].map { Array($0.unicodeScalars) }
        let scalars = Array(html.unicodeScalars)
        var index = 0
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        while index < scalars.count {
            let rest = scalars[index...]
            switch scalars[index] {
            case "<":
                if let tag = allowed.first(where: { rest.starts(with: $0) }) {
                    index += tag.count
                    continue
                }
                guard rest.starts(with: linkOpen), let hrefEnd = rest.indices.first(where: { scalars[$0...].starts(with: linkClose) }) else {
                    return "a tag Trestle does not write: \(text(index..<min(scalars.count, index + 60)))"
                }
                let href = text((index + linkOpen.count)..<hrefEnd)
                if href.contains("\"") || href.contains("<") || href.contains(">") { return "a raw quote or bracket in an href: \(href)" }
                let unescaped = href.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
                let scheme = URL(string: unescaped)?.scheme?.lowercased()
                guard scheme == "http" || scheme == "https", unescaped.lowercased().hasPrefix(scheme! + "://") else { return "an href that is not http(s): \(href)" }
                index = hrefEnd + linkClose.count
            case ">", "\"", "'":
                return "a raw \(scalars[index]) in text"
            case "&":
                guard let entity = entities.first(where: { rest.starts(with: $0) }) else { return "a raw & in text: \(text(index..<min(scalars.count, index + 20)))" }
                index += entity.count
            default:
                index += 1
            }
        }
        // Paragraphs and links are balanced.
        if html.components(separatedBy: "<p>").count != html.components(separatedBy: "</p>").count { return "unbalanced paragraphs" }
        if html.components(separatedBy: "<a ").count != html.components(separatedBy: "</a>").count { return "unbalanced links" }
        return nil
    }

    @Test func mastodonsStatusKeepsItsLinksAndReadsWhole() throws {
        let html = SafeHTML.sanitize(try Self.fixture("mastodon-status-content.html"))
        #expect(Self.problem(in: html) == nil, "\(html)")
        #expect(html.hasPrefix(#"<p><a href="https://bakery.example/@bakery" rel="nofollow noopener noreferrer" target="_blank">@bakery</a> are the rye loaves back"#))
        #expect(html.contains(#">https://news.example/2026/11/30/the-long-story-of-sourdough-in-our-town</a>"#), "the hidden parts of a long link are read")
        #expect(html.contains(#"<a href="https://pastry.example/tags/sourdough" rel="nofollow noopener noreferrer" target="_blank">#sourdough</a>"#))
        #expect(html.hasSuffix("<br>Tom &amp; Jerry&#39;s &quot;favourite&quot; &lt;3</p>"))
        #expect(!html.contains("class=") && !html.contains("span"))
    }

    @Test func akkomasBreaksAndARemoteServersBlocksStayReadable() throws {
        let akkoma = SafeHTML.sanitize(try Self.fixture("pleroma-status-content.html"))
        #expect(Self.problem(in: akkoma) == nil, "\(akkoma)")
        #expect(akkoma.contains("options?<br><br>My sister can&#39;t eat wheat.<br>Thanks! "))
        let remote = SafeHTML.sanitize(try Self.fixture("remote-status-content.html"))
        #expect(Self.problem(in: remote) == nil, "\(remote)")
        #expect(remote.contains("12 croissants<br>6 pain au chocolat<br>"), "\(remote)")
        #expect(remote.contains(#"<a href="http://cafe.example/door?x=1&amp;y=2" rel="nofollow noopener noreferrer" target="_blank">http://cafe.example/door?x=1&amp;y=2</a>"#))
        #expect(!remote.contains("<li>") && !remote.contains("<code>") && !remote.contains("<blockquote>"))
    }

    @Test(arguments: [
        // Script and style contents never show, whatever the case or spacing of their tags.
        (#"<script>alert(1)</script>hi"#, "hi"),
        (#"<SCRIPT type="module">alert(1)</SCRIPT >hi"#, "hi"),
        (#"<p>a<script>alert(1)"#, "<p>a</p>"),
        (#"<style>p { color: red }</style><p>b</p>"#, "<p>b</p>"),
        (#"<script>document.write("</scr" + "ipt>")</script>c"#, "c"),
        // Links: http(s) only, rebuilt with our attributes.
        (#"<a href="javascript:alert(1)">x</a>"#, "x"),
        (#"<a href="&#106;avascript:alert(1)">x</a>"#, "x"),
        (#"<a href="  JaVaScRiPt:alert(1)">x</a>"#, "x"),
        (#"<a href="data:text/html,<script>alert(1)</script>">x</a>"#, "x"),
        (#"<a href="https://ok.example/a" onclick="steal()" style="x">ok</a>"#, #"<a href="https://ok.example/a" rel="nofollow noopener noreferrer" target="_blank">ok</a>"#),
        (#"<a href=https://ok.example/b>unquoted</a>"#, #"<a href="https://ok.example/b" rel="nofollow noopener noreferrer" target="_blank">unquoted</a>"#),
        (#"<a title='x"y' href="https://ok.example/?q=1&amp;r=2">q</a>"#, #"<a href="https://ok.example/?q=1&amp;r=2" rel="nofollow noopener noreferrer" target="_blank">q</a>"#),
        (#"<a href="https://a.example">one <a href="https://b.example">two</a></a>"#,
         #"<a href="https://a.example" rel="nofollow noopener noreferrer" target="_blank">one </a><a href="https://b.example" rel="nofollow noopener noreferrer" target="_blank">two</a>"#),
        (#"<a>no href</a>"#, "no href"),
        // Unterminated and odd tags.
        (#"<p>hello <a href="https://x.example"#, "<p>hello </p>"),
        (#"<p>a <b"#, "<p>a </p>"),
        (#"<p>a</p></p></p>"#, "<p>a</p>"),
        (#"<!-- <script>alert(1)</script> -->ok"#, "ok"),
        (#"<!doctype html><?xml x?>ok</ x>"#, "ok"),
        (#"a < b && c > d"#, "a &lt; b &amp;&amp; c &gt; d"),
        (#"<img src=x onerror=alert(1)><svg><script>alert(2)</script></svg>ok"#, "ok"),
        // Entities are decoded, then escaped: nothing becomes markup.
        (#"&lt;script&gt;alert(1)&lt;/script&gt;"#, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (#"&amp;lt;b&amp;gt;"#, "&amp;lt;b&amp;gt;"),
        (#"&#60;img&#62; &#x3C;b&#x3e; &#X3C;"#, "&lt;img&gt; &lt;b&gt; &lt;"),
        (#"&#0;&#99999999999;&#xD800;&#x110000;"#, "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        (#"&unknown; &amp &"#, "&amp;unknown; &amp;amp &amp;"),
        (#"caf&eacute; &hellip;&nbsp;x"#, "caf&amp;eacute; …\u{A0}x"),
        ("a\u{0}b", "a\u{FFFD}b"),
    ])
    func hostileMarkupBecomesText(_ input: String, _ expected: String) {
        let html = SafeHTML.sanitize(input)
        #expect(html == expected)
        #expect(Self.problem(in: html) == nil, "\(html)")
    }

    /// Swift reads `"` and a combining mark after it as one `Character`; a browser reads a `"`
    /// that ends the attribute. Escaping goes by scalars.
    @Test func aCombiningMarkDoesNotHideAQuoteOrBracket() {
        #expect(SafeHTML.escape("\"\u{301}<\u{738}&\u{303}") == "&quot;\u{301}&lt;\u{738}&amp;\u{303}")
        let html = SafeHTML.sanitize(#"<a href="https://ok.example/x&quot;&#x301; onmouseover=alert(1) y=&quot;">x</a>"#)
        #expect(Self.problem(in: html) == nil, "\(html)")
        #expect(!html.contains("\" onmouseover") && !html.contains("\"\u{301} onmouseover"))
    }

    @Test func anEnormousStatusIsReadOnlyInPart() {
        let huge = String(repeating: "<p>bread &amp; <b>butter</b></p>", count: 50_000)
        let html = SafeHTML.sanitize(huge)
        #expect(html.utf8.count < SafeHTML.longestInput * 2)
        #expect(Self.problem(in: html) == nil)
        let open = String(repeating: "<a href=\"https://x.example/\">", count: 20_000)
        #expect(Self.problem(in: SafeHTML.sanitize(open)) == nil)
    }

    @Test func statusesFromAnyServerComeOutSafe() async throws {
        let seeds = try ["mastodon-status-content.html", "pleroma-status-content.html", "remote-status-content.html"].map { Array(try Self.fixture($0).utf8) }
            + [Array(#"<p><a href="https://ok.example/">x</a><script>y</script><style>z</style><!-- c --></p>"#.utf8)]
        let tokens = [
            "<p>", "</p>", "<br />", "<br>", "<a href=\"", "\">", "</a>", "<script>", "</script>", "<style>", "</style>", "<!--", "-->",
            "javascript:", "https://", "http://", "data:", "&#", "&#x", "&amp;", "&lt;", "&gt;", "&quot;", "\"", "'", "=", "<", ">", "/",
            "<span class=\"invisible\">", "</span>", " onclick=", "\u{0}", "&#0;", "<a href=",
        ]
        var failures = 0
        let report = await FuzzLoop.run(seeds: seeds, iterations: FuzzLoop.iterations(default: 20_000), tokens: tokens, longest: 1 << 14) { input in
            let html = SafeHTML.sanitize(String(decoding: input, as: UTF8.self))
            if let problem = Self.problem(in: html), failures < 5 {
                failures += 1
                Issue.record("\(problem)\ninput: \(String(decoding: input, as: UTF8.self))\noutput: \(html)")
            }
        }
        #expect(report.inputs > seeds.count)
        #expect(report.slowest < FuzzLoop.hang)
    }
}
