import Vapor

/// The workspace's channels in the web UI: connect a Mastodon or Bluesky account, see each
/// channel's limits and zone, disconnect.
enum ChannelPages {
    struct ConnectForm: Content {
        var network: String
        var instanceURL: String?
        var accessToken: String?
        var service: String?
        var identifier: String?
        var timezone: String?
        var appPassword: String?
    }

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
    }

    struct ChannelsContext: Encodable {
        var page: PageContext
        var channels: [ChannelRow]
        /// The form that failed, its typed values (never the secret) and its errors.
        var failedNetwork: String?
        var typed: [String: String]
        var errors: FieldErrors
        var zones: [String]
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func connect(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(ConnectForm.self)
        do {
            let connection = try ChannelService.connection(
                network: form.network, instanceURL: form.instanceURL, accessToken: form.accessToken,
                service: form.service, identifier: form.identifier, appPassword: form.appPassword
            )
            _ = try await req.channelService.connect(connection, timezone: form.timezone, to: access.workspace)
            return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels")
        } catch let error as AppError {
            // A field the network refused, or the network down or busy: said on the form, with
            // what was typed kept.
            return try await render(req, failed: form, errors: error.fields.isEmpty ? ["form": error.message] : error.fields, status: error.status)
        }
    }

    @Sendable static func disconnect(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.channelService
        try await service.disconnect(service.channel(req.uuidParameter("channel"), in: access.workspace))
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels")
    }

    private static func render(_ req: Request, failed form: ConnectForm? = nil, errors: FieldErrors = [:], status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.requireWorkspace()
        let channels = try await req.channelService.channels(in: access.workspace).map { channel in
            ChannelRow(
                id: try channel.requireID().uuidString, network: channel.network.rawValue, networkName: channel.network.displayName,
                name: channel.name, handle: channel.handle, server: channel.serverURL,
                limit: channel.textRules.rules(for: channel.network).limit, timezone: channel.timezone,
                needsReconnect: channel.status == .needsReconnect
            )
        }
        // Secrets are never sent back into a form.
        var typed: [String: String] = [:]
        if let form {
            typed = ["instanceURL": form.instanceURL ?? "", "service": form.service ?? "", "identifier": form.identifier ?? "", "timezone": form.timezone ?? ""]
        }
        let context = ChannelsContext(
            page: try await .load(req, title: "Channels · \(access.workspace.name)", in: access), channels: channels,
            failedNetwork: form?.network, typed: typed, errors: errors, zones: TimeZone.knownTimeZoneIdentifiers.sorted()
        )
        return try await req.page("channels", context, status: status)
    }
}
