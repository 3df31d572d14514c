import Vapor

/// The workspace's channels in the web UI: connect an account of any network in the registry
/// (or add a Site), see each channel's limits and zone, disconnect.
enum ChannelPages {
    struct ChannelRow: Encodable {
        var id: String
        var network: String
        var networkName: String
        var name: String
        var handle: String
        var server: String
        var limit: Int
        var timezone: String
        var needsReconnect: Bool
        var problem: String?
        /// A Site channel's public page.
        var siteURL: String?
    }

    struct ChannelsContext: Encodable {
        var page: PageContext
        var channels: [ChannelRow]
        /// One card per network in the registry, a failed form with its errors.
        var cards: [ConnectCard]
        /// Networks that cannot be connected yet.
        var missing: String?
        /// Errors about the list of channels.
        var errors: FieldErrors
        var zones: [String]
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func connect(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        // The API's body, sent as a form.
        var fields = try req.content.decode([String: String].self)
        fields["_csrf"] = nil
        let network = fields.removeValue(forKey: "network") ?? ""
        let form = ChannelConnectRequest(network: network, fields: fields)
        do {
            _ = try await req.channelService.connect(form.connection(req.wiring.connectors), name: form.name, timezone: form.timezone, to: access.workspace, by: req.requireUser())
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels")
        } catch let error as ServiceError {
            // A field the network refused, or the network down or busy: said on the form, with
            // what was typed kept.
            let failure = ConnectCard.Failure(key: network, typed: fields, errors: error.fields.isEmpty ? ["form": error.message] : error.fields)
            return try await render(req, failed: failure, status: error.status)
        }
    }

    struct SignInForm: Content {
        var instanceURL: String?
        var timezone: String?
    }

    struct SignInContext: Encodable {
        var page: PageContext
        var host: String
        var authorizeURL: String
    }

    /// Sends the person to their instance to allow Trestle; the callback finishes the connection.
    @Sendable static func startMastodonSignIn(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(SignInForm.self)
        do {
            let (authorize, pending) = try await req.mastodonSignIn.start(
                instanceURL: form.instanceURL ?? "", timezone: form.timezone, for: access.workspace,
                redirectURI: req.publicBaseURL + mastodonCallbackPath
            )
            req.session.data[SessionKeys.mastodonSignIn] = String(decoding: try JSONEncoder().encode(pending), as: UTF8.self)
            // A page that moves on by itself rather than a redirect: the CSP's `form-action 'self'`
            // would stop a form's redirect to another site, and rightly so everywhere else.
            return try await req.page("channel-sign-in", SignInContext(
                page: .load(req, title: "Signing in · \(access.workspace.name)", in: access),
                host: authorize.host ?? "your instance", authorizeURL: authorize.absoluteString
            ))
        } catch let error as ServiceError {
            let failed = ConnectCard.Failure(key: "mastodon-sign-in", typed: ["instanceURL": form.instanceURL ?? "", "timezone": form.timezone ?? ""],
                                             errors: error.fields.isEmpty ? ["form": error.message] : error.fields)
            return try await render(req, failed: failed, status: error.status)
        }
    }

    static let mastodonCallbackPath = "/oauth/mastodon/callback"

    /// The instance sends the person back here with a code (or a refusal). The sign-in is the
    /// one kept in this person's session, for a workspace they still belong to; once it has
    /// connected the account or been refused, it is gone. An answer with a state that is not
    /// its own (400) leaves it in place, so a forged link cannot cancel a real sign-in.
    @Sendable static func finishMastodonSignIn(_ req: Request) async throws -> Response {
        guard let raw = req.session.data[SessionKeys.mastodonSignIn],
              let pending = try? JSONDecoder().decode(MastodonSignIn.Pending.self, from: Data(raw.utf8)) else {
            throw AppError.badRequest("invalid_state", "This sign-in answer does not belong to a sign-in Trestle started, or it was used already. Connect the account again from Channels.")
        }
        req.session.data[SessionKeys.mastodonSignIn] = nil
        let (workspace, membership) = try await WorkspaceService(db: req.db).membership(of: req.requireUser(), in: pending.workspaceID)
        req.workspaceAccess = WorkspaceAccess(workspace: workspace, membership: membership)
        do {
            _ = try await req.mastodonSignIn.finish(
                code: req.query[String.self, at: "code"], state: req.query[String.self, at: "state"],
                refusal: req.query[String.self, at: "error"], pending: pending, into: workspace, channels: req.channelService, by: req.requireUser()
            )
            return req.redirect(to: "/workspaces/\(try workspace.requireID())/channels")
        } catch let error as ServiceError where error.status != .badRequest {
            let failed = ConnectCard.Failure(key: "mastodon-sign-in", typed: ["instanceURL": pending.instanceURL, "timezone": pending.timezone ?? ""],
                                             errors: error.fields.isEmpty ? ["form": error.message] : error.fields)
            return try await render(req, failed: failed, status: error.status)
        }
    }

    struct OAuthForm: Content {
        var timezone: String?
    }

    /// Sends the person to the network to allow Trestle (OAuth 2 with PKCE); the callback
    /// finishes the connection.
    @Sendable static func startOAuthSignIn(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let network = req.parameters.get("network") ?? ""
        let form = try req.content.decode(OAuthForm.self)
        do {
            let (authorize, pending) = try OAuthSignIn(wiring: req.wiring).start(
                network: network, timezone: form.timezone, for: access.workspace, redirectURI: req.publicBaseURL + "/oauth/\(network)/callback"
            )
            req.session.data[SessionKeys.oauthSignIn] = String(decoding: try JSONEncoder().encode(pending), as: UTF8.self)
            return try await req.page("channel-sign-in", SignInContext(
                page: .load(req, title: "Signing in · \(access.workspace.name)", in: access),
                host: authorize.host ?? network, authorizeURL: authorize.absoluteString
            ))
        } catch let error as ServiceError where error.status != .notFound {
            let failed = ConnectCard.Failure(key: "\(network)-sign-in", typed: ["timezone": form.timezone ?? ""],
                                             errors: error.fields.isEmpty ? ["form": error.message] : error.fields)
            return try await render(req, failed: failed, status: error.status)
        }
    }

    /// The network sends the person back here with a code (or a refusal); as with Mastodon,
    /// the sign-in kept in this person's session is used once, and a forged answer (400)
    /// leaves it in place.
    @Sendable static func finishOAuthSignIn(_ req: Request) async throws -> Response {
        guard let raw = req.session.data[SessionKeys.oauthSignIn],
              let pending = try? JSONDecoder().decode(OAuthSignIn.Pending.self, from: Data(raw.utf8)) else {
            throw AppError.badRequest("invalid_state", "This sign-in answer does not belong to a sign-in Trestle started, or it was used already. Connect the account again from Channels.")
        }
        let network = req.parameters.get("network") ?? ""
        let (workspace, membership) = try await WorkspaceService(db: req.db).membership(of: req.requireUser(), in: pending.workspaceID)
        req.workspaceAccess = WorkspaceAccess(workspace: workspace, membership: membership)
        do {
            let state = req.query[String.self, at: "state"]
            if state == pending.state, network == pending.network { req.session.data[SessionKeys.oauthSignIn] = nil }
            let finished = try await OAuthSignIn(wiring: req.wiring).finish(
                network: network, code: req.query[String.self, at: "code"], state: state, refusal: req.query[String.self, at: "error"],
                pending: pending, into: workspace, channels: req.channelService, by: req.requireUser()
            )
            if case let .choosing(choosing) = finished {
                req.session.data[SessionKeys.oauthChoosing] = String(decoding: try JSONEncoder().encode(choosing), as: UTF8.self)
                return req.redirect(to: "/oauth/\(choosing.network)/choose")
            }
            return req.redirect(to: "/workspaces/\(try workspace.requireID())/channels")
        } catch let error as ServiceError where error.status != .badRequest {
            let failed = ConnectCard.Failure(key: "\(pending.network)-sign-in", typed: ["timezone": pending.timezone ?? ""],
                                             errors: error.fields.isEmpty ? ["form": error.message] : error.fields)
            return try await render(req, failed: failed, status: error.status)
        }
    }

    struct ChangeForm: Content {
        var name: String?
        var timezone: String?
    }

    @Sendable static func change(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.channelService
        let channel = try await service.channel(req.uuidParameter("channel"), in: access.workspace)
        let form = try req.content.decode(ChangeForm.self)
        do {
            try await service.update(channel, name: form.name, timezone: form.timezone)
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels")
        } catch let error as ServiceError {
            return try await render(req, errors: error.fields.mapValues { "\(channel.handle): \($0)" }.merging(["list": error.message]) { first, _ in first }, status: error.status)
        }
    }

    @Sendable static func check(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.channelService
        do {
            try await service.check(service.channel(req.uuidParameter("channel"), in: access.workspace))
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels")
        } catch let error as ServiceError where error.status != .notFound {
            return try await render(req, errors: ["list": error.message], status: error.status)
        }
    }

    @Sendable static func disconnect(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.channelService
        try await service.disconnect(service.channel(req.uuidParameter("channel"), in: access.workspace))
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels")
    }

    private static func render(_ req: Request, failed: ConnectCard.Failure? = nil, errors: FieldErrors = [:], status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.requireWorkspace()
        let channels = try await req.channelService.channels(in: access.workspace).map { channel in
            ChannelRow(
                id: try channel.requireID().uuidString, network: channel.network.rawValue, networkName: channel.network.displayName,
                name: channel.name, handle: channel.handle, server: channel.serverURL,
                limit: channel.textRules.rules(for: channel.network).limit, timezone: channel.timezone,
                needsReconnect: channel.status == .needsReconnect, problem: channel.problem,
                siteURL: channel.network == .site ? SiteURL.page(channel.remoteID) : nil
            )
        }
        let page = try await PageContext.load(req, title: "Channels · \(access.workspace.name)", in: access)
        let context = ChannelsContext(
            page: page, channels: channels,
            cards: ConnectCard.cards(req.wiring.connectors, apps: req.wiring.oauthApps, workspace: try access.workspace.requireID().uuidString, csrf: page.csrf, failed: failed),
            missing: ConnectCard.missing(req.wiring.connectors), errors: errors, zones: TimeZone.knownTimeZoneIdentifiers.sorted()
        )
        return try await req.page("channels", context, status: status)
    }
}
