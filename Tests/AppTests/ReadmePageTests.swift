@testable import App
import Testing
import VaporTesting

/// The README served as a page, so the Channels page can link an operator to a section of it.
@Suite struct ReadmePageTests {
    @Test func theReadmeIsServedWithGitHubsAnchors() async throws {
        try await withTrestle(.sqlite) { app in
            let page = try await app.testing().sendRequest(.GET, "/readme")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains(#"<h3 id="registering-an-app-with-x">Registering an app with X</h3>"#))
            #expect(html.contains("<code>TRESTLE_X_CLIENT_ID</code>"))
            #expect(!html.contains("```"), "fences become code blocks")
        }
    }

    @Test func markdownIsEscapedAndShapedAsTheReadmeUsesIt() {
        let html = MarkdownHTML.html("""
            ## Links & sales

            Text with <script>alert(1)</script>, `a <b>`, **bold** and [a link](https://x.example/?a=1&b=2) or [bad](javascript:alert(1)).

            - one
              going on
            - two

            | variable | meaning |
            |---|---|
            | `A` | <i>x</i> |

            ```
            <tag> & code
            ```

            1. First
            2. Second

                SETTING=<value>

            3. Third
            """)
        #expect(html.contains(#"<h2 id="links--sales">Links &amp; sales</h2>"#))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"))
        #expect(html.contains("<code>a &lt;b&gt;</code>") && html.contains("<strong>bold</strong>"))
        #expect(html.contains(#"<a href="https://x.example/?a=1&amp;b=2">a link</a>"#))
        #expect(!html.contains("javascript:"), "only web addresses, paths and anchors are linked")
        #expect(html.contains("<ul><li>one going on</li><li>two</li></ul>"))
        #expect(html.contains("<thead><tr><th>variable</th><th>meaning</th></tr></thead><tbody><tr><td><code>A</code></td><td>&lt;i&gt;x&lt;/i&gt;</td></tr></tbody>"))
        #expect(html.contains("<pre><code>&lt;tag&gt; &amp; code</code></pre>"))
        #expect(html.contains("<ol><li>First</li><li>Second</li></ol>\n<pre><code>SETTING=&lt;value&gt;</code></pre>\n<ol start=\"3\"><li>Third</li></ol>"), "\(html)")
    }
}
