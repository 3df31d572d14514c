import Fluent
import Foundation
import MediaFiles
import Networks
import SQLKit
import Synchronization

/// Deliveries: made and moved when a post is scheduled, and published by the worker exactly
/// once (invariant 1), each ending published or failed with a reason (invariant 2).
struct DeliveryService: Sendable {
    /// The job that wakes a delivery at its time.
    static let publishJob = "publish"
    /// Tries, counting the first, before a network that keeps failing is given up on.
    static let mostAttempts = 8

    let db: any Database
    let wiring: Wiring

    /// When a post asks to go.
    enum When: Sendable, Equatable {
        case at(Date)
        /// Each channel's next free posting slot.
        case queue
        case now
    }

    // MARK: Scheduling

    /// Makes the post's deliveries to `channels` for `when`, or moves the pending ones; pending
    /// deliveries to channels it no longer goes to are canceled. A published or sending
    /// delivery is never made again. Runs on `db`, the caller's transaction.
    func schedule(_ post: Post, to channels: [Channel], when: When) async throws {
        let now = wiring.clock.now()
        let postID = try post.requireID()
        let existing = try await Delivery.query(on: db).filter(\.$post.$id == postID).all()
        let targets = Set(try channels.map { try $0.requireID() })
        for delivery in existing where delivery.state.isPending {
            guard let channelID = delivery.$channel.id, targets.contains(channelID) else {
                delivery.state = .canceled
                try await delivery.save(on: db)
                continue
            }
        }
        for channel in channels {
            let channelID = try channel.requireID()
            let at: Date
            switch when {
            case let .at(instant): at = instant
            case .now: at = now
            case .queue:
                let taken = try await Delivery.query(on: db)
                    .filter(\.$channel.$id == channelID)
                    .filter(\.$state ~~ [.scheduled, .retrying, .unknown, .sending, .published])
                    .filter(\.$scheduledAt >= now)
                    .all(\.$scheduledAt)
                guard let free = channel.queueSchedule.nextFree(from: now, taken: Set(taken)) else {
                    let reason = channel.postingSlots.isEmpty
                        ? "\(channel.handle) has no posting times yet: set them for the channel, or choose a time."
                        : "\(channel.handle)'s posting times all belong to the library: add a time for the queue, or choose a time."
                    throw ServiceError.invalid(["schedule": reason],
                                           message: "The post was not scheduled.")
                }
                at = free
            }
            if let delivery = existing.first(where: { $0.$channel.id == channelID }) {
                guard delivery.state != .published, delivery.state != .sending else { continue }
                delivery.state = .scheduled
                delivery.scheduledAt = at
                delivery.error = nil
                delivery.waitingForReconnect = false
                try await delivery.save(on: db)
                try await wake(delivery)
            } else {
                let delivery = try Delivery(postID: postID, channel: channel, scheduledAt: at, now: now)
                try await delivery.create(on: db)
                try await wake(delivery)
            }
        }
        post.status = .scheduled
    }

    /// Cancels what has not been published; false when a delivery is being sent right now.
    func cancelPending(of post: Post) async throws -> Bool {
        let deliveries = try await Delivery.query(on: db).filter(\.$post.$id == post.requireID()).all()
        if deliveries.contains(where: { $0.state == .sending }) { return false }
        for delivery in deliveries where delivery.state.isPending {
            delivery.state = .canceled
            try await delivery.save(on: db)
        }
        return true
    }

    /// Sends the post's failed deliveries again, now; the others are left as they are.
    @discardableResult
    func retryFailed(of post: Post) async throws -> Int {
        let failed = try await Delivery.query(on: db).filter(\.$post.$id == post.requireID()).filter(\.$state == .failed).all()
        for delivery in failed { try await sendNow(delivery) }
        return failed.count
    }

    /// The channel was connected again: what waited for it goes now.
    func resumeWaiting(for channel: Channel) async throws {
        let waiting = try await Delivery.query(on: db)
            .filter(\.$channel.$id == channel.requireID())
            .filter(\.$waitingForReconnect == true)
            .filter(\.$state == .failed)
            .all()
        for delivery in waiting { try await sendNow(delivery) }
    }

    /// A failed delivery goes again, now, its reason cleared.
    private func sendNow(_ delivery: Delivery) async throws {
        delivery.state = .scheduled
        delivery.scheduledAt = wiring.clock.now()
        delivery.error = nil
        delivery.waitingForReconnect = false
        try await delivery.save(on: db)
        try await wake(delivery)
    }

    /// A job that runs the delivery at its time. A job for a time since moved finds the
    /// delivery not yet due and does nothing, so moving never needs the old job found.
    private func wake(_ delivery: Delivery, at time: Date? = nil) async throws {
        try await wiring.jobs(on: db).enqueue(Self.publishJob, payload: #"{"delivery":"\#(try delivery.requireID().uuidString)"}"#,
                                              runAt: time ?? delivery.scheduledAt)
    }

    /// Moves one pending delivery to `instant` (dragged on the calendar).
    func move(_ delivery: Delivery, to instant: Date) async throws {
        guard delivery.state.isPending else {
            throw ServiceError.conflict("not_pending", "Only a delivery that has not gone out yet can be moved.")
        }
        guard instant >= wiring.clock.now().addingTimeInterval(-60) else {
            throw ServiceError.invalid(["at": "That time has passed; choose a later one."])
        }
        delivery.scheduledAt = instant
        delivery.state = .scheduled
        try await delivery.save(on: db)
        try await wake(delivery)
    }

    /// A channel's queue: its pending deliveries, soonest first.
    func queue(of channel: Channel) async throws -> [Delivery] {
        try await Delivery.query(on: db)
            .filter(\.$channel.$id == channel.requireID())
            .filter(\.$state ~~ [.scheduled, .retrying, .unknown])
            .sort(\.$scheduledAt)
            .with(\.$post)
            .all()
    }

    /// Swaps the times of a queued delivery and its neighbour (`earlier`: the one before it), so
    /// the queue's order changes and its times stay.
    func swapInQueue(_ delivery: Delivery, of channel: Channel, earlier: Bool) async throws {
        let queue = try await queue(of: channel)
        guard let index = queue.firstIndex(where: { $0.id == delivery.id }) else { throw ServiceError.notFound("This queued post") }
        let other = earlier ? index - 1 : index + 1
        guard queue.indices.contains(other) else { return }
        let (first, second) = (queue[index], queue[other])
        (first.scheduledAt, second.scheduledAt) = (second.scheduledAt, first.scheduledAt)
        for moved in [first, second] {
            moved.state = .scheduled
            try await moved.save(on: db)
            try await wake(moved)
        }
    }

    /// The workspace's latest failed deliveries, newest first, for the dashboard.
    func recentFailures(in workspace: Workspace, limit: Int = 10) async throws -> [Delivery] {
        try await Delivery.query(on: db)
            .join(Post.self, on: \Delivery.$post.$id == \Post.$id)
            .filter(Post.self, \.$workspace.$id == workspace.requireID())
            .filter(\.$state == .failed)
            .sort(\.$updatedAt, .descending)
            .limit(limit)
            .all()
    }

    // MARK: Publishing

    /// The worker's job: publish the delivery if it is due.
    func publish(job: JobQueue.Claimed) async throws -> JobOutcome {
        struct Payload: Decodable { var delivery: UUID }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            return .failed("A publish job without a delivery.")
        }
        try await publish(payload.delivery)
        return .done
    }

    /// Publishes one delivery, part by part, recording each part as it goes; every failure
    /// ends in a state with a reason, never in an error thrown away.
    func publish(_ id: UUID) async throws {
        let now = wiring.clock.now()
        guard let delivery = try await Delivery.find(id, on: db) else { return }
        if delivery.state.isPending, delivery.scheduledAt > now.addingTimeInterval(1) { return }
        guard delivery.state.isPending || delivery.state == .sending else { return }
        guard let channelID = delivery.$channel.id, let channel = try await Channel.find(channelID, on: db) else {
            return try await end(delivery, as: .failed, reason: "\(delivery.channelHandle) was disconnected before this was published.")
        }
        guard channel.status == .active else {
            return try await park(delivery, reason: channel.problem ?? "the network refused the credentials")
        }
        guard let post = try await Post.find(delivery.$post.id, on: db) else { return }
        // Edited after it was approved: it keeps its time and waits for the new version's
        // approvals, which wake it (ApprovalService).
        if post.answersItemID == nil, !(try await ApprovalService(db: db, wiring: wiring).mayPublish(post)) { return }
        guard let publisher = wiring.connectors.connector(for: channel.network) else {
            return try await end(delivery, as: .failed, reason: "Trestle cannot publish to \(channel.network.displayName) yet.")
        }

        // Invariant 1: `sending` is committed before the network call. A delivery found in
        // `sending` was being sent when a worker stopped; it goes on as one whose outcome is unknown.
        let maybeSentSince = delivery.sendingSince
        let claimed = try await (db as! any SQLDatabase).raw("""
            UPDATE deliveries SET state = 'sending', attempts = attempts + 1,
                sending_since = COALESCE(sending_since, \(bind: now)), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = \(bind: delivery.state.rawValue) RETURNING id
            """).all()
        guard !claimed.isEmpty else { return }
        wiring.calendar.changed()
        delivery.state = .sending
        delivery.attempts += 1
        delivery.sendingSince = delivery.sendingSince ?? now

        // Links go out as the delivery's own short links where the workspace has them on.
        let texts = try await LinkShortener(db: db, wiring: wiring).shorten(
            PostContent(text: post.text, thread: post.thread, variants: post.variants).texts(for: channel.network, channelID: channelID),
            of: delivery, post: post, channel: channel
        )
        // Media go with the first part; a thread resuming after it does not read them again.
        let media = delivery.publishedParts.isEmpty ? try await self.media(of: post) : []
        var parts = delivery.publishedParts
        do {
            var account = try await wiring.channels(on: db).account(of: channel)
            for index in parts.count..<texts.count {
                var part = PartToPublish(
                    text: texts[index], index: index, idempotencyKey: "\(delivery.idempotencyKey)/\(index)", recordKey: delivery.recordKey(part: index),
                    createdAt: now, maybeSentSince: index == parts.count ? maybeSentSince : nil, media: index == 0 ? media : []
                )
                // An answer's first part replies to the item; a thread's later parts to the part before.
                let replyTo = delivery.replyTo
                let thread = parts.first.map { (root: replyTo?.root ?? $0, parent: parts[parts.count - 1]) } ?? replyTo.map { ($0.root, $0.parent) }
                part.isDirect = replyTo?.isDirect ?? false
                // What an earlier attempt at this part kept between its steps, and the way to keep it.
                let kept = Checkpoint.parse(delivery.checkpoint)
                part.checkpoint = kept?.part == index ? kept?.value : nil
                let keptNow = Mutex(false)
                part.keep = { [db] value in
                    try await (db as! any SQLDatabase).raw("UPDATE deliveries SET checkpoint = \(bind: Checkpoint.format(part: index, value)) WHERE id = \(bind: id)").run()
                    keptNow.withLock { $0 = true }
                }
                let (published, rotated) = try await publisher.publish(part, thread: thread, as: account)
                if kept != nil || keptNow.withLock({ $0 }) {
                    try await (db as! any SQLDatabase).raw("UPDATE deliveries SET checkpoint = NULL WHERE id = \(bind: id)").run()
                    delivery.checkpoint = nil
                }
                if let rotated {
                    account.credentials = rotated
                    channel.sealedCredentials = try wiring.sealer.seal(rotated, for: channelID)
                    try await channel.save(on: db)
                }
                parts.append(published)
                delivery.publishedParts = parts
                // Each part is recorded as it goes, so a thread resumes after it; the last one
                // is recorded with the delivery's end, in one write.
                if parts.count < texts.count { try await delivery.save(on: db) }
            }
        } catch let error as NetworkError {
            return try await failed(delivery, channel: channel, error)
        }
        delivery.state = .published
        delivery.publishedAt = wiring.clock.now()
        delivery.remoteID = parts.first?.remoteID
        delivery.remoteURL = parts.first?.url
        delivery.error = nil
        try await db.transaction { db in
            try await delivery.save(on: db)
            try await wiring.activity(on: db).record(.published, in: post.$workspace.id, by: nil, post: post.requireID(),
                                                     "\(ActivityLog.excerpt(of: post)) on \(delivery.channelHandle)")
        }
        wiring.metrics.published(delivery)
        try await wiring.webhooks(on: db).emit(.deliveryPublished, for: delivery)
    }

    /// The post's images or video, with their bytes and descriptions, in order.
    private func media(of post: Post) async throws -> [MediaToPublish] {
        guard !post.media.isEmpty else { return [] }
        let files = MediaService(db: db)
        var media: [MediaToPublish] = []
        for item in try await MediaItem.query(on: db).filter(\.$id ~~ post.media).all().sorted(by: { a, b in
            (post.media.firstIndex(of: a.id!) ?? 0) < (post.media.firstIndex(of: b.id!) ?? 0)
        }) {
            media.append(MediaToPublish(
                bytes: try await files.content(of: item), mimeType: item.format.mimeType, filename: item.filename, altText: item.altText,
                isVideo: item.format.isVideo, width: item.width, height: item.height,
                publicURL: try wiring.mediaLinks?.url(for: item.requireID(), now: wiring.clock.now())
            ))
        }
        return media
    }

    /// What a network's refusal means for the delivery: wait and retry, wait for the account
    /// to be connected again, or stop with the network's reason.
    private func failed(_ delivery: Delivery, channel: Channel, _ error: NetworkError) async throws {
        let name = channel.network.displayName
        switch error {
        case let .unauthorized(reason):
            channel.status = .needsReconnect
            channel.problem = reason
            try await channel.save(on: db)
            try await park(delivery, reason: reason)
        case .rateLimited, .unreachable, .timedOut, .rejected where error.isTransient:
            // A reason in words, never an HTTP status: a network's own fault is said as such.
            let reason = if case let .rejected(_, message) = error {
                "\(name) had a problem on its side (\(message)); Trestle tries again."
            } else {
                "\(name): \(error.description)"
            }
            guard delivery.attempts < Self.mostAttempts else {
                return try await end(delivery, as: .failed, reason: "Gave up after \(delivery.attempts) tries. \(reason)")
            }
            var wait = JobRunner.backoff(attempt: delivery.attempts)
            if case let .rateLimited(retryAfter) = error, let retryAfter { wait = max(wait, TimeInterval(retryAfter)) }
            // A timeout leaves it open whether the network took the post: it is looked for first.
            if case .timedOut = error { delivery.state = .unknown } else { delivery.state = .retrying }
            delivery.scheduledAt = wiring.clock.now().addingTimeInterval(wait)
            delivery.error = reason
            try await delivery.save(on: db)
            try await wake(delivery)
        case let .rejected(_, message):
            try await end(delivery, as: .failed, reason: "\(name) refused: \(message)")
        default:
            try await end(delivery, as: .failed, reason: "\(name): \(error.description)")
        }
    }

    /// Failed until the channel is connected again, which resumes it.
    private func park(_ delivery: Delivery, reason: String) async throws {
        delivery.waitingForReconnect = true
        try await end(delivery, as: .failed, reason: "\(delivery.network.displayName): \(reason) Connect \(delivery.channelHandle) again to send it.")
    }

    private func end(_ delivery: Delivery, as state: Delivery.State, reason: String) async throws {
        delivery.state = state
        delivery.error = reason
        try await db.transaction { db in
            try await delivery.save(on: db)
            guard state == .failed, let post = try await Post.find(delivery.$post.id, on: db) else { return }
            try await wiring.activity(on: db).record(.failed, in: post.$workspace.id, by: nil, post: post.requireID(),
                                                     "\(ActivityLog.excerpt(of: post)) on \(delivery.channelHandle): \(reason)")
        }
        if state == .failed { try await wiring.webhooks(on: db).emit(.deliveryFailed, for: delivery) }
    }
}

/// A delivery's checkpoint as stored: the part's index, a space, the network's value.
enum Checkpoint {
    static func format(part: Int, _ value: String) -> String { "\(part) \(value.prefix(2_000))" }

    static func parse(_ stored: String?) -> (part: Int, value: String)? {
        guard let stored, let space = stored.firstIndex(of: " "), let part = Int(stored[..<space]) else { return nil }
        return (part, String(stored[stored.index(after: space)...]))
    }
}
