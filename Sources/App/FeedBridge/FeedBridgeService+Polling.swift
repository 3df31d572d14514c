import Feeds
import Fluent
import Foundation
import Logging
import Networks

/// Polling: one job per subscription, due every `pollMinutes` (conditional GET), backing off
/// when the feed fails and keeping the reason; and what a read feed becomes — posts for the
/// items not seen before, all stored in one transaction with the subscription's new state.
extension FeedBridgeService {
    static let pollJob = "feed.poll"
    /// However often a feed fails, it is tried at least this often.
    static let longestBackoff: TimeInterval = 6 * 3_600
    /// Seen items are inserted in batches of this many rows (SQLite binds at most 32,766).
    private static let insertBatch = 1_000

    private struct PollPayload: Codable {
        var subscription: UUID
    }

    /// Queues the subscription's next poll at its `nextPollAt`; runs on the caller's transaction.
    func schedulePoll(of subscription: FeedSubscription) async throws {
        let payload = String(decoding: try JSONEncoder().encode(PollPayload(subscription: try subscription.requireID())), as: UTF8.self)
        try await wiring.jobs(on: db).enqueue(Self.pollJob, payload: payload, runAt: subscription.nextPollAt)
    }

    /// The worker's job. A failed poll is no failed job: the subscription keeps the reason and
    /// is polled again after its backoff, so the job is always done.
    func poll(job: JobQueue.Claimed) async throws -> JobOutcome {
        guard let payload = try? JSONDecoder().decode(PollPayload.self, from: Data(job.payload.utf8)) else {
            return .failed("A feed poll without its subscription.")
        }
        guard let subscription = try await FeedSubscription.find(payload.subscription, on: db) else { return .done }
        // A second job of one subscription (its worker died after queueing the next) finds the
        // next poll still ahead and leaves it to that one.
        guard subscription.nextPollAt <= wiring.clock.now().addingTimeInterval(1) else { return .done }
        try await poll(subscription)
        return .done
    }

    /// Polls the feed now and stores what came of it.
    func poll(_ subscription: FeedSubscription) async throws {
        let outcome: FeedReader.Outcome
        do {
            guard let url = URL(string: subscription.url) else { throw ServiceError.invalid(["url": "\(subscription.url) is not an address."]) }
            outcome = try await reader.read(url, validators: .init(etag: subscription.etag, lastModified: subscription.lastModified))
        } catch let error as ServiceError {
            let now = wiring.clock.now()
            subscription.failures = min(subscription.failures + 1, 1_000)
            subscription.lastError = error.message
            subscription.lastPolledAt = now
            var wait = Self.backoff(pollMinutes: subscription.pollMinutes, failures: subscription.failures)
            // A server that says when to come back is not asked sooner (its wait is bounded when read).
            if case let .networkBusy(retryAfter?) = error.kind { wait = max(wait, TimeInterval(retryAfter)) }
            subscription.nextPollAt = now.addingTimeInterval(wait)
            try await db.transaction { db in
                try await subscription.save(on: db)
                try await FeedBridgeService(db: db, wiring: wiring).schedulePoll(of: subscription)
            }
            return
        }
        try await db.transaction { db in
            let service = FeedBridgeService(db: db, wiring: wiring)
            var note: String?
            if case let .read(feed, validators, movedTo) = outcome {
                // A feed that moved for good (301, 308) is read at its new address from now on.
                if let movedTo { subscription.url = movedTo.absoluteString }
                guard let workspace = try await Workspace.find(subscription.$workspace.id, on: db) else { return }
                note = try await service.take(feed, for: subscription, in: workspace, posting: nil)
                subscription.etag = validators.etag
                subscription.lastModified = validators.lastModified
                subscription.title = feed.title ?? subscription.title
            }
            try await service.recordGoodPoll(of: subscription, note: note)
        }
        // Where the feed names a hub, pushes are asked for (and renewed) beside the polling.
        var hub = subscription.hubURL.flatMap(URL.init(string:)), topic = subscription.topicURL.flatMap(URL.init(string:))
        if case let .read(feed, _, _) = outcome {
            hub = feed.hub
            topic = feed.selfURL ?? URL(string: subscription.url)
        }
        await requestWebSub(for: subscription, hub: hub, topic: topic)
    }

    /// `requestWebSubIfDue`, whose failure (the database's) is logged: polling goes on.
    func requestWebSub(for subscription: FeedSubscription, hub: URL?, topic: URL?) async {
        let logger = Logger(label: "trestle.feeds")
        do {
            try await requestWebSubIfDue(for: subscription, hub: hub, topic: topic, logger: logger)
        } catch {
            logger.error("Asking a WebSub hub failed: \(String(reflecting: error))")
        }
    }

    /// After a poll or a push that was read: failures forgotten, the next poll queued.
    func recordGoodPoll(of subscription: FeedSubscription, note: String?) async throws {
        let now = wiring.clock.now()
        subscription.failures = 0
        subscription.lastError = note
        subscription.lastPolledAt = now
        subscription.nextPollAt = now.addingTimeInterval(TimeInterval(subscription.pollMinutes * 60))
        try await subscription.save(on: db)
        try await schedulePoll(of: subscription)
    }

    /// The interval doubled for each failure in a row, up to `longestBackoff`.
    static func backoff(pollMinutes: Int, failures: Int) -> TimeInterval {
        min(longestBackoff, TimeInterval(pollMinutes * 60) * pow(2, Double(min(max(failures, 0), 16))))
    }

    /// Posts the items of `feed` this subscription has not seen — by id, or by the same
    /// article's link under a new id — and records them seen. When subscribing (`backfill` set)
    /// only the newest `backfill` are posted and the rest are the back catalogue. Runs on the
    /// caller's transaction; returns a sentence when an item could not go as the mode asks.
    @discardableResult
    func take(_ feed: Feed, for subscription: FeedSubscription, in workspace: Workspace, posting backfill: Int?) async throws -> String? {
        let subscriptionID = try subscription.requireID()
        var items: [(item: FeedItem, key: String, link: String?)] = []
        var keys = Set<String>(), links = Set<String>()
        for item in feed.items {
            let key = FeedPostText.itemKey(item.id), link = FeedPostText.linkKey(item.link)
            if keys.contains(key) || link.map(links.contains) == true { continue }
            keys.insert(key)
            if let link { links.insert(link) }
            items.append((item, key, link))
        }
        guard !items.isEmpty else { return nil }

        var knownKeys = Set<String>(), knownLinks = Set<String>()
        for chunk in items.chunked(by: 400) {
            let chunkLinks = chunk.compactMap(\.link)
            let rows = try await FeedSeenItem.query(on: db).filter(\.$subscription.$id == subscriptionID)
                .group(.or) { group in
                    group.filter(\.$itemKey ~~ chunk.map(\.key))
                    if !chunkLinks.isEmpty { group.filter(\.$linkKey ~~ chunkLinks) }
                }
                .all()
            for row in rows {
                knownKeys.insert(row.itemKey)
                if let link = row.linkKey { knownLinks.insert(link) }
            }
        }
        let fresh = items.filter { !knownKeys.contains($0.key) && !($0.link.map(knownLinks.contains) ?? false) }
        guard !fresh.isEmpty else { return nil }

        // Oldest first, so queued posts follow the order the feed published them in.
        let chronological: [(item: FeedItem, key: String, link: String?)]
        if fresh.allSatisfy({ ($0.item.published ?? $0.item.updated) != nil }) {
            chronological = fresh.enumerated().sorted { a, b in
                let (x, y) = (a.element.item.published ?? a.element.item.updated!, b.element.item.published ?? b.element.item.updated!)
                return x != y ? x < y : a.offset > b.offset
            }.map(\.element)
        } else {
            chronological = fresh.reversed()
        }
        let posting = backfill.map { Array(chronological.suffix($0)) } ?? chronological
        let postingKeys = Set(posting.map(\.key))

        var postIDs: [String: UUID] = [:]
        var notes: [String] = []
        if !posting.isEmpty {
            let channelIDs = subscription.channelIDs
            let channels = try await Channel.query(on: db).filter(\.$id ~~ channelIDs).filter(\.$workspace.$id == workspace.requireID()).all()
                .sorted { a, b in (channelIDs.firstIndex(of: a.id!) ?? 0) < (channelIDs.firstIndex(of: b.id!) ?? 0) }
            let author = try await subscription.$createdBy.get(on: db)
            if channels.isEmpty { notes.append("None of the subscription's channels is connected any more: choose a channel, and new items will be posted to it.") }
            for entry in posting where !channels.isEmpty {
                if let (id, note) = try await post(entry.item, feedTitle: feed.title, to: channels, for: subscription, in: workspace, by: author) {
                    postIDs[entry.key] = id
                    if let note, !notes.contains(note) { notes.append(note) }
                }
            }
        }
        let now = wiring.clock.now()
        let rows = fresh.map { FeedSeenItem(subscriptionID: subscriptionID, itemKey: $0.key, linkKey: $0.link, postID: postingKeys.contains($0.key) ? postIDs[$0.key] : nil, at: now) }
        for batch in rows.chunked(by: Self.insertBatch) { try await batch.create(on: db) }
        return notes.isEmpty ? nil : notes.joined(separator: " ")
    }

    /// One post for one item on the subscription's channels, each channel's text fitted to its
    /// network. Queued when the mode says so and every channel can take it; otherwise a draft,
    /// with a sentence saying why it is not queued. Nil when the item has nothing to say.
    private func post(_ item: FeedItem, feedTitle: String?, to channels: [Channel], for subscription: FeedSubscription, in workspace: Workspace,
                      by author: User?) async throws -> (UUID, String?)? {
        var texts: [(channel: Channel, text: String)] = []
        var unfit: [String] = []
        for channel in channels {
            let writer = FeedPostText(template: subscription.template(for: try channel.requireID()), network: channel.network,
                                      rules: channel.textRules.rules(for: channel.network))
            let (text, fits) = writer.text(for: item, feedTitle: feedTitle)
            if text.isEmpty { return nil }
            if !fits { unfit.append(channel.handle) }
            texts.append((channel, String(text.prefix(ComposeService.maximumTextLength))))
        }
        var variants: [String: String] = [:]
        for (channel, text) in texts { variants[try channel.requireID().uuidString.lowercased()] = text }
        var draft = PostService.Draft(text: texts[0].text, thread: [], channels: channels.map { $0.id!.uuidString }, variants: variants, media: [], schedule: nil)

        var note: String?
        if subscription.mode == .queue {
            let now = wiring.clock.now()
            if !unfit.isEmpty {
                note = "Saved as a draft: even shortened, the post is too long for \(unfit.joined(separator: ", "))."
            } else if let idle = channels.first(where: { $0.postingSchedule.nextFree(from: now, taken: []) == nil }) {
                note = "Saved as a draft: \(idle.handle) has no posting times yet; set them, and new items will be queued."
            } else {
                draft.schedule = .queue
            }
        }
        let posts = wiring.posts(on: db)
        if draft.schedule != nil {
            do {
                return (try await posts.create(draft, in: workspace, by: author).requireID(), nil)
            } catch let error as ServiceError {
                // Refused before anything was written (a channel to reconnect): kept as a draft.
                note = "Saved as a draft: \(([error.message] + error.fields.values.sorted()).joined(separator: " "))"
                draft.schedule = nil
            }
        }
        return (try await posts.create(draft, in: workspace, by: author).requireID(), note)
    }
}

extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
