import Synchronization
import Vapor

/// `/readme`: the README of the Trestle being run, as a page, so the Channels page can link an
/// operator to the section on registering an app with a network. Read from the working
/// directory, where the templates are read from too; rendered once per process.
enum ReadmePage {
    struct Context: Encodable {
        struct Page: Encodable { var title: String }
        var page: Page
        var html: String
    }

    private static let rendered = Mutex<String?>(nil)

    @Sendable static func show(_ req: Request) async throws -> View {
        let html = try rendered.withLock { cached -> String in
            if let cached { return cached }
            let path = req.application.directory.workingDirectory + "README.md"
            guard let data = FileManager.default.contents(atPath: path) else { throw Abort(.notFound, reason: "This Trestle has no README beside it.") }
            let html = MarkdownHTML.html(String(decoding: data, as: UTF8.self))
            cached = html
            return html
        }
        return try await req.view.render("readme", Context(page: .init(title: "README"), html: html))
    }
}
