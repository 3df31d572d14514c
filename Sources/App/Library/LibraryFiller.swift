import Fluent
import Foundation

/// Fills the posting slots bound to a library category: for every such slot in the coming
/// `horizon` that nothing fills yet, the category's item that may go and went out least
/// recently on that channel becomes an ordinary post with one delivery, at the slot's instant.
/// From there publishing, retries and exactly-once are the deliveries' own.
///
/// Idempotent: a fill is unique per channel and slot instant, checked in the transaction that
/// makes it and held by a unique index, so two workers filling at once fill a slot once.
struct LibraryFiller: Sendable {
    /// How far ahead slots are filled: a week, so the calendar shows the library's posts.
    static let horizon: TimeInterval = 7 * 86_400
    /// How often the worker fills: slots are filled a week ahead, so a minute late is nothing.
    static let interval: TimeInterval = 60

    let db: any Database
    let wiring: Wiring

    /// An item's rules, its own where it has them, else its category's.
    struct Rules: Sendable, Equatable {
        var minDaysBetween: Int
        var maxRepeats: Int?
        var expiresAt: Date?

        init(item: LibraryItem, category: LibraryCategory) {
            minDaysBetween = item.minDaysBetween ?? category.minDaysBetween
            maxRepeats = item.maxRepeats ?? category.maxRepeats
            expiresAt = item.expiresAt ?? category.expiresAt
        }

        /// Whether an item with these `fills` (every channel's, waiting ones too) may fill the
        /// slot at `instant` on `channel`.
        func allow(at instant: Date, on channel: UUID, fills: [LibraryFill]) -> Bool {
            if let expiresAt, instant >= expiresAt { return false }
            if let maxRepeats, fills.count >= maxRepeats { return false }
            let gap = TimeInterval(minDaysBetween) * 86_400
            return !fills.contains { $0.$channel.id == channel && abs($0.slotAt.timeIntervalSince(instant)) < gap }
        }
    }

    /// Fills the coming category slots of every channel (of one workspace when given) whose
    /// library is not paused; returns how many it filled.
    @discardableResult
    func fillSlots(in workspaceID: UUID? = nil) async throws -> Int {
        let now = wiring.clock.now()
        var query = Channel.query(on: db)
        if let workspaceID { query = query.filter(\.$workspace.$id == workspaceID) }
        let channels = try await query.all().filter { $0.postingSlots.contains { $0.category != nil } }
        guard !channels.isEmpty else { return 0 }
        let paused = Set(try await LibrarySettings.query(on: db).filter(\.$paused == true).all(\.$workspace.$id))
        var filled = 0
        for channel in channels where !paused.contains(channel.$workspace.id) {
            let schedule = channel.postingSchedule
            let librarySlots = PostingSchedule(slots: schedule.slots.filter { $0.category != nil }, zone: schedule.zone)
            let coming = librarySlots.occurrences(from: now, until: now.addingTimeInterval(Self.horizon))
            guard let first = coming.first?.instant else { continue }
            // Most rounds find the week filled already: one read skips those slots, and only an
            // empty one is looked at again inside its transaction.
            let filledAlready = Set(try await LibraryFill.query(on: db)
                .filter(\.$channel.$id == channel.requireID()).filter(\.$slotAt >= first).all(\.$slotAt))
            for (instant, slot) in coming where !filledAlready.contains(instant) {
                guard let category = slot.category else { continue }
                if try await fill(channel, at: instant, from: category) { filled += 1 }
            }
        }
        return filled
    }

    /// Fills one slot, in one transaction; false when it is filled already, taken by a post of
    /// the workspace's own, or no item of the category may go there.
    private func fill(_ channel: Channel, at instant: Date, from categoryID: UUID) async throws -> Bool {
        let channelID = try channel.requireID()
        do {
            return try await db.transaction { db in
                guard try await LibraryFill.query(on: db).filter(\.$channel.$id == channelID).filter(\.$slotAt == instant).count() == 0 else { return false }
                let taken = try await Delivery.query(on: db)
                    .filter(\.$channel.$id == channelID).filter(\.$scheduledAt == instant)
                    .filter(\.$state ~~ [.scheduled, .retrying, .unknown, .sending, .published])
                    .count()
                guard taken == 0 else { return false }
                guard let category = try await LibraryCategory.query(on: db)
                    .filter(\.$id == categoryID).filter(\.$workspace.$id == channel.$workspace.id).first() else { return false }
                let items = try await LibraryItem.query(on: db).filter(\.$category.$id == categoryID).sort(\.$createdAt).sort(\.$id).all()
                guard !items.isEmpty else { return false }
                // Skipped slots (their post deleted) are no sends: they count for no rule.
                let fills = Dictionary(grouping: try await LibraryFill.query(on: db)
                    .filter(\.$item.$id ~~ items.compactMap(\.id)).filter(\.$post.$id != nil).all(), by: \.$item.id)
                var best: (item: LibraryItem, last: Date?)?
                for item in items {
                    let own = fills[try item.requireID()] ?? []
                    guard Rules(item: item, category: category).allow(at: instant, on: channelID, fills: own) else { continue }
                    guard try await fits(item, on: channel, db: db) else { continue }
                    let last = own.filter { $0.$channel.id == channelID }.map(\.slotAt).max()
                    // Never sent here first, then the longest ago; ties by age in the library.
                    if let current = best {
                        switch (last, current.last) {
                        case (nil, .some): best = (item, last)
                        case let (a?, b?) where a < b: best = (item, last)
                        default: break
                        }
                    } else {
                        best = (item, last)
                    }
                }
                guard let item = best?.item else { return false }
                try await send(item, to: channel, at: instant, db: db)
                return true
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another worker filled the slot between the check and the insert.
            return false
        }
    }

    /// Whether the wording the item would take next fits the channel (its length, its media).
    private func fits(_ item: LibraryItem, on channel: Channel, db: any Database) async throws -> Bool {
        let wordings = item.wordings
        let text = wordings[item.rotationIndex % wordings.count]
        let media = item.media.isEmpty ? [] : try await MediaItem.query(on: db).filter(\.$id ~~ item.media).all()
        return PostContent(text: text, thread: [], variants: [:]).problems(on: channel, media: media).isEmpty
    }

    /// The item as an ordinary post, in its next wording, with one delivery at the slot.
    private func send(_ item: LibraryItem, to channel: Channel, at instant: Date, db: any Database) async throws {
        let wordings = item.wordings
        let index = item.rotationIndex % wordings.count
        let post = Post(workspaceID: channel.$workspace.id, authorID: nil, text: wordings[index], thread: [])
        post.media = item.media
        try await post.create(on: db)
        try await post.$channels.attach(channel, on: db)
        try await wiring.deliveries(on: db).schedule(post, to: [channel], when: .at(instant))
        try await post.save(on: db)
        try await LibraryFill(itemID: item.requireID(), channelID: channel.requireID(), postID: post.requireID(), slotAt: instant).create(on: db)
        item.rotationIndex = (index + 1) % wordings.count
        try await item.save(on: db)
    }

    /// Cancels the fills of these items that have not gone out: their posts are deleted with
    /// their deliveries (nothing of them was published), and their slots are free again. A
    /// fill being sent right now is left to finish. Runs on `db`, the caller's transaction.
    func cancelPendingFills(of itemIDs: [UUID]) async throws {
        guard !itemIDs.isEmpty else { return }
        let fills = try await LibraryFill.query(on: db).filter(\.$item.$id ~~ itemIDs).filter(\.$post.$id != nil).all()
        guard !fills.isEmpty else { return }
        let deliveries = Dictionary(grouping: try await Delivery.query(on: db).filter(\.$post.$id ~~ fills.compactMap(\.$post.id)).all(), by: \.$post.id)
        for fill in fills {
            guard let postID = fill.$post.id else { continue }
            let own = deliveries[postID] ?? []
            guard !own.isEmpty, own.allSatisfy({ $0.state.isPending || $0.state == .canceled }) else { continue }
            try await fill.delete(on: db)
            // Its deliveries go with the post (their foreign key cascades); a publish job still
            // queued for one finds nothing and does nothing.
            try await Post.find(postID, on: db)?.delete(on: db)
        }
    }
}
