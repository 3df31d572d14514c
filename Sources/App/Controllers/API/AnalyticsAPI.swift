import Vapor

/// What the networks count, over the JSON API. A delivery's own counts are in the post's JSON
/// (`deliveries[].metrics`).
enum AnalyticsAPI {
    /// `{"days": [{"day": "yyyy-MM-dd", "followers": n}]}` for the last 90 days, oldest first.
    @Sendable static func followers(_ req: Request) async throws -> ChannelFollowersDTO {
        let channel = try await req.channelService.channel(req.uuidParameter("channel"), in: req.requireWorkspace().workspace)
        return ChannelFollowersDTO(days: try await req.wiring.postMetrics(on: req.db).followers(of: channel).map { .init(day: $0.day, followers: $0.followers) })
    }
}
