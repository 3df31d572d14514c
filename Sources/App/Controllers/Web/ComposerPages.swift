import TextRules
import Vapor

/// The composer: write once, see each network's count and reading as you type.
enum ComposerPages {
    struct NetworkOption: Encodable {
        var id: String
        var name: String
        var limit: Int
        var hasThreads: Bool
    }

    struct Part: Encodable {
        var index: Int
        var number: Int
        var text: String
    }

    struct ComposerContext: Encodable {
        var page: PageContext
        var networks: [NetworkOption]
        var checkURL: String
        /// Where "Save draft" posts: a new post, or the draft being edited.
        var saveURL: String
        var parts: [Part]
        var errors: FieldErrors
        var editing: Bool
    }

    @Sendable static func composer(_ req: Request) async throws -> Response {
        try await render(req, parts: [""])
    }

    /// The composer, empty or holding a draft's parts, with any field errors from saving it.
    static func render(
        _ req: Request, parts: [String], editing post: Post? = nil, errors: FieldErrors = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let base = "/workspaces/\(try access.workspace.requireID())"
        let catalog = TextRulesCatalog.standard
        let networks = Network.allCases.map {
            NetworkOption(id: $0.rawValue, name: $0.displayName, limit: catalog.rules(for: $0).limit, hasThreads: $0.hasThreads)
        }
        let texts = parts.isEmpty ? [""] : parts
        let context = ComposerContext(
            page: try await .load(req, title: "Compose · \(access.workspace.name)", in: access),
            networks: networks, checkURL: "\(base)/compose/check",
            saveURL: try post.map { "\(base)/posts/\(try $0.requireID())" } ?? "\(base)/posts",
            parts: texts.enumerated().map { Part(index: $0.offset, number: $0.offset + 1, text: $0.element) },
            errors: errors, editing: post != nil
        )
        return try await req.page("composer", context, status: status)
    }

    /// The composer's live counter: the API's check, for the signed-in member (CSRF header).
    @Sendable static func check(_ req: Request) async throws -> ComposeCheckResponse {
        _ = try req.requireWorkspace()
        return try await ComposeAPI.check(req)
    }
}
