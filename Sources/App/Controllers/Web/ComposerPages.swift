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

    struct ComposerContext: Encodable {
        var page: PageContext
        var networks: [NetworkOption]
        var checkURL: String
    }

    @Sendable static func composer(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let workspaceID = try access.workspace.requireID()
        let catalog = TextRulesCatalog.standard
        let networks = Network.allCases.map {
            NetworkOption(id: $0.rawValue, name: $0.displayName, limit: catalog.rules(for: $0).limit, hasThreads: $0.hasThreads)
        }
        let context = ComposerContext(
            page: try await .load(req, title: "Compose · \(access.workspace.name)", in: access),
            networks: networks, checkURL: "/workspaces/\(workspaceID)/compose/check"
        )
        return try await req.page("composer", context)
    }

    /// The composer's live counter: the API's check, for the signed-in member (CSRF header).
    @Sendable static func check(_ req: Request) async throws -> ComposeCheckResponse {
        _ = try req.requireWorkspace()
        return try await ComposeAPI.check(req)
    }
}
