import Feeds
import Fluent
import Foundation
import Networks

/// The feed bridge: a workspace subscribes to feeds, and each new item becomes a post on the
/// chosen channels from a template — a draft for review or queued into each channel's next
/// free slot — exactly once, however the feed reorders, rewrites or republishes it.
struct FeedBridgeService: Sendable {
    static let mostPerWorkspace = 100
    static let mostBackfill = 50
    static let defaultPollMinutes = 15
    static let pollMinutesRange = 5...1_440

    let db: any Database
    let wiring: Wiring

    /// What a person sends to subscribe, or to change a subscription (nil: unchanged).
    struct Request: Sendable, Decodable {
        var url: String?
        var channels: [String]?
        var template: String?
        var templates: [String: String]?
        var mode: String?
        var backfill: Int?
        var pollMinutes: Int?
    }

    var reader: FeedReader { FeedReader(fetcher: wiring.feedFetcher) }

    /// Reads the feed now; records its items as seen, except the newest `backfill`, which are
    /// posted. Nothing is stored when the feed cannot be read.
    func subscribe(_ request: Request, in workspace: Workspace, by user: User) async throws -> FeedSubscription {
        var problems: [String: String] = [:]
        var url: URL?
        do { url = try FeedReader.address(request.url ?? "") } catch let error as ServiceError { problems.merge(error.fields) { a, _ in a } }
        let backfill = request.backfill ?? 0
        if !(0...Self.mostBackfill).contains(backfill) { problems["backfill"] = "Post between 0 and \(Self.mostBackfill) of the latest items now." }
        let settings = try await check(request, in: workspace, into: &problems, creating: true)
        guard problems.isEmpty, let url else { throw ServiceError.invalid(problems, message: "The feed was not added.") }
        let workspaceID = try workspace.requireID()
        guard try await FeedSubscription.query(on: db).filter(\.$workspace.$id == workspaceID).count() < Self.mostPerWorkspace else {
            throw ServiceError.invalid(["url": "A workspace follows at most \(Self.mostPerWorkspace) feeds; remove one to add another."], message: "The feed was not added.")
        }

        guard case let .read(feed, validators, movedTo) = try await reader.read(url) else {
            throw ServiceError.invalid(["url": "The server answered 304 Not Modified to a plain request."], message: "The feed was not added.")
        }
        let now = wiring.clock.now()
        let subscription = FeedSubscription(
            id: UUID(), workspaceID: workspaceID, createdBy: try user.requireID(), url: (movedTo ?? url).absoluteString, title: feed.title,
            channels: settings.channels.compactMap(\.id), template: settings.template, templates: settings.templates, mode: settings.mode,
            pollMinutes: settings.pollMinutes, nextPollAt: now.addingTimeInterval(TimeInterval(settings.pollMinutes * 60))
        )
        subscription.etag = validators.etag
        subscription.lastModified = validators.lastModified
        subscription.lastPolledAt = now
        try await db.transaction { db in
            try await subscription.create(on: db)
            let service = FeedBridgeService(db: db, wiring: wiring)
            try await service.take(feed, for: subscription, in: workspace, posting: backfill)
            try await service.schedulePoll(of: subscription)
        }
        await requestWebSub(for: subscription, hub: feed.hub, topic: feed.selfURL ?? url)
        return subscription
    }

    func subscriptions(in workspace: Workspace) async throws -> [FeedSubscription] {
        try await FeedSubscription.query(on: db).filter(\.$workspace.$id == workspace.requireID()).sort(\.$createdAt).sort(\.$id).all()
    }

    /// The workspace's subscription, or 404 (another workspace's too, by invariant 5).
    func subscription(_ id: UUID, in workspace: Workspace) async throws -> FeedSubscription {
        guard let found = try await FeedSubscription.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This feed subscription")
        }
        return found
    }

    /// Changes channels, templates, mode or polling interval; the address stays (subscribe
    /// again for another feed).
    func update(_ subscription: FeedSubscription, in workspace: Workspace, with request: Request) async throws {
        var problems: [String: String] = [:]
        if request.url != nil { problems["url"] = "The address of a subscription does not change; add the other feed as a new one." }
        if request.backfill != nil { problems["backfill"] = "Backfill applies when subscribing only." }
        let settings = try await check(request, in: workspace, into: &problems, creating: false, current: subscription)
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The subscription was not changed.") }
        subscription.channelIDs = settings.channels.compactMap(\.id)
        subscription.template = settings.template
        subscription.templates = settings.templates
        subscription.mode = settings.mode
        subscription.pollMinutes = settings.pollMinutes
        try await subscription.save(on: db)
    }

    /// Stops following the feed; its pending poll finds it gone, and a hub that pushes it is
    /// told to stop (by a job, so a slow hub never holds up the request). Posts it made stay.
    func delete(_ subscription: FeedSubscription) async throws {
        try await db.transaction { db in
            let bridge = FeedBridgeService(db: db, wiring: wiring)
            try await bridge.requestWebSubEnd(for: subscription)
            try await subscription.delete(on: db)
        }
    }

    private struct Settings {
        var channels: [Channel]
        var template: String
        var templates: [String: String]
        var mode: FeedSubscription.Mode
        var pollMinutes: Int
    }

    private func check(_ request: Request, in workspace: Workspace, into problems: inout [String: String], creating: Bool,
                       current: FeedSubscription? = nil) async throws -> Settings {
        var channels: [Channel] = []
        if let ids = request.channels ?? current.map({ $0.channelIDs.map(\.uuidString) }) {
            do { channels = try await wiring.posts(on: db).channels(ids, in: workspace) } catch let error as ServiceError {
                problems.merge(error.fields) { a, _ in a }
            }
        }
        if channels.isEmpty, problems["channels"] == nil { problems["channels"] = "Choose at least one channel for the feed's posts." }
        let template = request.template ?? current?.template ?? FeedPostText.defaultTemplate
        if let problem = FeedPostText.problem(with: template) { problems["template"] = problem }
        var templates: [String: String] = [:]
        let chosen = Set(channels.compactMap { $0.id?.uuidString.lowercased() })
        for (key, own) in request.templates ?? current?.templates ?? [:] {
            guard chosen.contains(key.lowercased()) else {
                problems["templates"] = "A template for \(key.prefix(40)) needs that channel among the subscription's channels."
                break
            }
            if let problem = FeedPostText.problem(with: own) {
                problems["templates"] = problem
                break
            }
            templates[key.lowercased()] = own
        }
        var mode = current?.mode ?? .draft
        if let text = request.mode {
            if let chosen = FeedSubscription.Mode(rawValue: text) { mode = chosen } else { problems["mode"] = "Choose draft (for review) or queue (into each channel's next posting time)." }
        }
        let pollMinutes = request.pollMinutes ?? current?.pollMinutes ?? Self.defaultPollMinutes
        if !Self.pollMinutesRange.contains(pollMinutes) {
            problems["pollMinutes"] = "Look every \(Self.pollMinutesRange.lowerBound) to \(Self.pollMinutesRange.upperBound) minutes."
        }
        return Settings(channels: channels, template: template, templates: templates, mode: mode, pollMinutes: pollMinutes)
    }
}
