import TextRules
import Vapor

/// The composer: write once, see each network's count and reading as you type.
enum ComposerPages {
    struct NetworkOption: Encodable {
        var id: String
        var name: String
        var limit: Int
        var hasThreads: Bool
        var checked: Bool
    }

    /// A channel to post to, counted by its own limit.
    struct ChannelOption: Encodable {
        var id: String
        var network: String
        var networkName: String
        var handle: String
        var limit: Int
        var hasThreads: Bool
        var checked: Bool
        /// The network refused the credentials: nothing can be scheduled here until reconnected.
        var needsReconnect: Bool
    }

    struct Part: Encodable {
        var index: Int
        var number: Int
        var text: String
    }

    struct ComposerContext: Encodable {
        var page: PageContext
        var channels: [ChannelOption]
        var channelsURL: String
        var networks: [NetworkOption]
        var checkURL: String
        /// Where "Save draft" posts: a new post, or the draft being edited.
        var saveURL: String
        var parts: [Part]
        var media: [MediaDTO]
        var mediaURL: String
        /// Each network's own text, as JSON for the composer's script.
        var variantsJSON: String
        var errors: FieldErrors
        var editing: Bool
        var links: LinkChoice
        /// Short links need Trestle's public address; without it, links go out as written.
        var shortLinksAvailable: Bool
    }

    /// The composer's links box: whether the post's links go out as short links, and their campaign.
    struct LinkChoice: Encodable, Sendable {
        var shorten: Bool
        var campaign: String
    }

    @Sendable static func composer(_ req: Request) async throws -> Response {
        try await render(req, parts: [""])
    }

    /// The composer, empty or holding a draft's parts, with any field errors from saving it.
    /// `channels`: the ones chosen; nil for a new post, which goes to every channel.
    static func render(
        _ req: Request, parts: [String], channels chosen: [String]? = nil, media: [UUID] = [], variants: [String: String] = [:], links: LinkChoice? = nil, editing post: Post? = nil, errors: FieldErrors = [:],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let base = "/workspaces/\(try access.workspace.requireID())"
        let chosenIDs = chosen.map { Set($0.map { $0.lowercased() }) }
        let channels = try await req.channelService.channels(in: access.workspace).map { channel in
            let id = try channel.requireID().uuidString
            return ChannelOption(
                id: id, network: channel.network.rawValue, networkName: channel.network.displayName, handle: channel.handle,
                limit: channel.textRules.rules(for: channel.network).limit, hasThreads: channel.network.hasThreads,
                checked: chosenIDs?.contains(id.lowercased()) ?? true, needsReconnect: channel.status == .needsReconnect
            )
        }
        // Without channels, the networks most small businesses start with show how a text counts.
        let previewed: Set<Network> = channels.isEmpty ? [.x, .mastodon, .bluesky] : []
        let catalog = TextRulesCatalog.standard
        let networks = Network.allCases.map {
            NetworkOption(id: $0.rawValue, name: $0.displayName, limit: catalog.rules(for: $0).limit, hasThreads: $0.hasThreads, checked: previewed.contains($0))
        }
        let texts = parts.isEmpty ? [""] : parts
        let context = ComposerContext(
            page: try await .load(req, title: "Compose · \(access.workspace.name)", in: access),
            channels: channels, channelsURL: "\(base)/channels", networks: networks, checkURL: "\(base)/compose/check",
            saveURL: try post.map { "\(base)/posts/\(try $0.requireID())" } ?? "\(base)/posts",
            parts: texts.enumerated().map { Part(index: $0.offset, number: $0.offset + 1, text: $0.element) },
            media: try await attached(media, in: access.workspace, on: req), mediaURL: "\(base)/media",
            variantsJSON: String(decoding: try JSONEncoder().encode(variants), as: UTF8.self),
            errors: errors, editing: post != nil,
            links: links ?? LinkChoice(shorten: post?.shortensLinks ?? true, campaign: post?.campaign ?? ""),
            shortLinksAvailable: req.wiring.publicURL != nil
        )
        return try await req.page("composer", context, status: status)
    }

    /// The attached files still in the workspace; one deleted meanwhile is simply left out.
    private static func attached(_ ids: [UUID], in workspace: Workspace, on req: Request) async throws -> [MediaDTO] {
        let known = try await MediaService(db: req.db).media(in: workspace)
        return try ids.compactMap { id in try known.first { $0.id == id }.map { try MediaDTO($0) } }
    }

    /// The composer's live counter: the API's check, for the signed-in member (CSRF header).
    @Sendable static func check(_ req: Request) async throws -> ComposeCheckResponse {
        try await ComposeAPI.checkInWorkspace(req)
    }
}
