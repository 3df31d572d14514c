import Vapor

/// A workspace's channels over the JSON API.
enum ChannelsAPI {
    @Sendable static func list(_ req: Request) async throws -> [ChannelDTO] {
        try await req.channelService.channels(in: req.requireWorkspace().workspace).map { try ChannelDTO($0, publicBase: req.publicBaseURL) }
    }

    /// 201 with a new channel; 200 when the account was connected already and is refreshed.
    @Sendable static func connect(_ req: Request) async throws -> Response {
        let body = try ChannelConnectRequest(json: req.jsonObjectBody().object, connectors: req.wiring.connectors)
        let (channel, created) = try await req.channelService.connect(
            body.connection(req.wiring.connectors), name: body.name, timezone: body.timezone, to: req.requireWorkspace().workspace, by: req.requireUser()
        )
        return try await ChannelDTO(channel, publicBase: req.publicBaseURL).encodeResponse(status: created ? .created : .ok, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> ChannelDTO {
        try ChannelDTO(try await req.channelService.channel(req.uuidParameter("channel"), in: req.requireWorkspace().workspace), publicBase: req.publicBaseURL)
    }

    @Sendable static func change(_ req: Request) async throws -> ChannelDTO {
        let body = try req.decodeBody(ChannelChangeRequest.self)
        let service = req.channelService
        let channel = try await service.channel(req.uuidParameter("channel"), in: req.requireWorkspace().workspace)
        try await service.update(channel, name: body.name, timezone: body.timezone)
        return try ChannelDTO(channel, publicBase: req.publicBaseURL)
    }

    /// Asks the network whether the credentials still work; the answer's `status` says.
    @Sendable static func check(_ req: Request) async throws -> ChannelDTO {
        let service = req.channelService
        return try ChannelDTO(try await service.check(service.channel(req.uuidParameter("channel"), in: req.requireWorkspace().workspace)), publicBase: req.publicBaseURL)
    }

    /// `{"slots": [{"weekday": 1…7, "time": "HH:MM", "category": id}]}`, local to the channel's zone.
    @Sendable static func slots(_ req: Request) async throws -> PostingSlotsDTO {
        PostingSlotsDTO(try await req.channelService.channel(req.uuidParameter("channel"), in: req.requireWorkspace().workspace))
    }

    /// Replaces the channel's posting times.
    @Sendable static func setSlots(_ req: Request) async throws -> PostingSlotsDTO {
        let body = try req.decodeBody(PostingSlotsDTO.self)
        let service = req.channelService
        let channel = try await service.channel(req.uuidParameter("channel"), in: req.requireWorkspace().workspace)
        try await service.setPostingSlots(try body.postingSlots(), of: channel)
        // Slots just bound to a category are filled now rather than at the worker's next round.
        await req.library.fillSoon(channel.$workspace.id)
        return PostingSlotsDTO(channel)
    }

    @Sendable static func disconnect(_ req: Request) async throws -> HTTPStatus {
        let service = req.channelService
        try await service.disconnect(service.channel(req.uuidParameter("channel"), in: req.requireWorkspace().workspace))
        return .noContent
    }
}

extension Request {
    /// The channel service for this request's database, network client and secret key.
    var channelService: ChannelService {
        wiring.channels(on: db)
    }

    /// Signing a Mastodon account in on its instance, for this request's database and network client.
    var mastodonSignIn: MastodonSignIn {
        MastodonSignIn(db: db, http: application.networkHTTP, sealer: CredentialSealer(secretKey: application.settings.secretKey))
    }
}
