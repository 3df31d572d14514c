import Fluent
import Foundation

/// The evergreen library of a workspace: categories with their recycling rules, the items in
/// them, and the pause. Filling slots from it is `LibraryFiller`'s work.
struct LibraryService: Sendable {
    static let defaultDaysBetween = 30
    static let maximumDaysBetween = 3_650
    static let maximumRepeats = 100_000
    /// Other wordings an item may have besides its text.
    static let maximumVariants = 24

    let db: any Database
    let wiring: Wiring

    /// A field of a change: left out (`nil`), cleared (`.some(nil)`) or set.
    typealias Change<Value> = Value??

    struct CategoryDraft: Sendable {
        var name: String?
        var minDaysBetween: Int?
        var maxRepeats: Change<Int> = nil
        var expiresAt: Change<Date> = nil
    }

    struct ItemDraft: Sendable {
        var category: String?
        var text: String?
        var variants: [String]?
        var media: [UUID]?
        var minDaysBetween: Change<Int> = nil
        var maxRepeats: Change<Int> = nil
        var expiresAt: Change<Date> = nil
    }

    /// What the library shows of an item beside its content.
    struct ItemRecord: Sendable {
        /// Published sends, all channels together.
        var timesSent = 0
        /// The earliest slot it fills that has not gone out yet.
        var nextDueAt: Date?
        var lastSentAt: Date?
        /// Engagement its sends brought. Nil until Trestle reads metrics from the networks
        /// (a later step); the library then orders by it.
        var engagement: Int?
    }

    // MARK: Pause

    func isPaused(_ workspace: Workspace) async throws -> Bool {
        try await LibrarySettings.query(on: db).filter(\.$workspace.$id == workspace.requireID()).first()?.paused ?? false
    }

    /// Pausing stops new fills and cancels the fills that have not gone out; resuming fills
    /// the coming slots again.
    func setPaused(_ paused: Bool, in workspace: Workspace) async throws {
        let workspaceID = try workspace.requireID()
        try await db.transaction { db in
            let settings = try await LibrarySettings.query(on: db).filter(\.$workspace.$id == workspaceID).first()
                ?? LibrarySettings(workspaceID: workspaceID, paused: paused)
            settings.paused = paused
            try await settings.save(on: db)
            if paused {
                let itemIDs = try await LibraryItem.query(on: db).filter(\.$workspace.$id == workspaceID).all(\.$id)
                try await LibraryFiller(db: db, wiring: wiring).cancelPendingFills(of: itemIDs)
            }
        }
        if !paused { await fillSoon(workspaceID) }
    }

    // MARK: Categories

    func categories(in workspace: Workspace) async throws -> [LibraryCategory] {
        try await LibraryCategory.query(on: db).filter(\.$workspace.$id == workspace.requireID()).sort(\.$name).sort(\.$createdAt).all()
    }

    func category(_ id: UUID, in workspace: Workspace) async throws -> LibraryCategory {
        guard let category = try await LibraryCategory.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This category")
        }
        return category
    }

    func createCategory(_ draft: CategoryDraft, in workspace: Workspace) async throws -> LibraryCategory {
        let category = LibraryCategory(workspaceID: try workspace.requireID(), name: "", minDaysBetween: Self.defaultDaysBetween, maxRepeats: nil, expiresAt: nil)
        try apply(draft, to: category, creating: true)
        try await category.create(on: db)
        return category
    }

    func updateCategory(_ category: LibraryCategory, with draft: CategoryDraft) async throws {
        try apply(draft, to: category, creating: false)
        try await category.save(on: db)
    }

    /// Deletes the category and its items; what they had waiting is canceled, what went out
    /// stays, and the slots bound to it become ordinary slots of the queue.
    func deleteCategory(_ category: LibraryCategory) async throws {
        let categoryID = try category.requireID()
        try await db.transaction { db in
            let itemIDs = try await LibraryItem.query(on: db).filter(\.$category.$id == categoryID).all(\.$id)
            try await LibraryFiller(db: db, wiring: wiring).cancelPendingFills(of: itemIDs)
            for channel in try await Channel.query(on: db).filter(\.$workspace.$id == category.$workspace.id).all()
            where channel.postingSlots.contains(where: { $0.category == categoryID }) {
                channel.postingSlots = channel.postingSlots.map { slot in
                    var slot = slot
                    if slot.category == categoryID { slot.category = nil }
                    return slot
                }
                try await channel.save(on: db)
            }
            try await category.delete(on: db)
        }
    }

    private func apply(_ draft: CategoryDraft, to category: LibraryCategory, creating: Bool) throws {
        var problems: [String: String] = [:]
        if let raw = draft.name ?? (creating ? "" : nil) {
            let name = FieldRules.name(raw, missing: "Give the category a name, such as Tips or Products.")
            if let problem = name.problem { problems["name"] = problem } else { category.name = name.value }
        }
        Self.checkRules(minDaysBetween: draft.minDaysBetween, maxRepeats: draft.maxRepeats, into: &problems)
        guard problems.isEmpty else {
            throw ServiceError.invalid(problems, message: creating ? "The category was not added." : "The category was not changed.")
        }
        if let days = draft.minDaysBetween { category.minDaysBetween = days }
        if let repeats = draft.maxRepeats { category.maxRepeats = repeats }
        if let expiry = draft.expiresAt { category.expiresAt = expiry }
    }

    private static func checkRules(minDaysBetween: Int?, maxRepeats: Int??, into problems: inout [String: String]) {
        if let days = minDaysBetween, !(0...maximumDaysBetween).contains(days) {
            problems["minDaysBetween"] = "Give a number of days from 0 to \(maximumDaysBetween)."
        }
        if case let repeats?? = maxRepeats, !(1...maximumRepeats).contains(repeats) {
            problems["maxRepeats"] = "Give a number of times from 1 to \(maximumRepeats), or none for no limit."
        }
    }

    // MARK: Items

    /// The workspace's items (of one category when given), oldest first.
    func items(in workspace: Workspace, category: UUID? = nil) async throws -> [LibraryItem] {
        var query = LibraryItem.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
        if let category { query = query.filter(\.$category.$id == category) }
        return try await query.sort(\.$createdAt).sort(\.$id).all()
    }

    func item(_ id: UUID, in workspace: Workspace) async throws -> LibraryItem {
        guard let item = try await LibraryItem.query(on: db).filter(\.$id == id).filter(\.$workspace.$id == workspace.requireID()).first() else {
            throw ServiceError.notFound("This library item")
        }
        return item
    }

    /// Adds an item; the coming slots of its category are filled at once.
    func createItem(_ draft: ItemDraft, in workspace: Workspace) async throws -> LibraryItem {
        let item = LibraryItem(workspaceID: try workspace.requireID(), categoryID: UUID())
        try await apply(draft, to: item, in: workspace, creating: true)
        try await item.create(on: db)
        await fillSoon(try workspace.requireID())
        return item
    }

    /// Changes an item; fills already made keep what they were made with.
    func updateItem(_ item: LibraryItem, in workspace: Workspace, with draft: ItemDraft) async throws {
        try await apply(draft, to: item, in: workspace, creating: false)
        try await item.save(on: db)
        await fillSoon(try workspace.requireID())
    }

    /// Deletes the item and cancels what it had waiting; what went out stays.
    func deleteItem(_ item: LibraryItem) async throws {
        try await db.transaction { db in
            try await LibraryFiller(db: db, wiring: wiring).cancelPendingFills(of: [item.requireID()])
            try await item.delete(on: db)
        }
    }

    private func apply(_ draft: ItemDraft, to item: LibraryItem, in workspace: Workspace, creating: Bool) async throws {
        var problems: [String: String] = [:]
        if let id = draft.category ?? (creating ? "" : nil) {
            let found = try await UUID(uuidString: id).asyncMap { uuid in
                try await LibraryCategory.query(on: db).filter(\.$id == uuid).filter(\.$workspace.$id == workspace.requireID()).first()
            } ?? nil
            if let found {
                item.$category.id = try found.requireID()
            } else {
                problems["category"] = id.isEmpty ? "Choose the category the item belongs to." : "\(id.prefix(40)) is not one of the library's categories."
            }
        }
        let text = (draft.text ?? item.text).withUnixLineBreaks
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems["text"] = "Write something: an item needs text."
        } else if text.utf16.count > ComposeService.maximumTextLength {
            problems["text"] = "This text is longer than any network accepts."
        }
        // Empty wordings mean nothing and are dropped rather than stored.
        let variants = (draft.variants ?? item.variants).map(\.withUnixLineBreaks)
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if variants.count > Self.maximumVariants {
            problems["variants"] = "An item can have at most \(Self.maximumVariants) other wordings."
        } else if variants.contains(where: { $0.utf16.count > ComposeService.maximumTextLength }) {
            problems["variants"] = "A wording is longer than any network accepts."
        }
        let media = draft.media ?? item.media
        if media.count > MediaRules.mostPerPost {
            problems["media"] = "An item carries at most \(MediaRules.mostPerPost) images or videos; this one has \(media.count)."
        } else if Set(media).count != media.count {
            problems["media"] = "The same image or video is attached twice."
        } else {
            do {
                _ = try await MediaService(db: db).items(media, in: workspace)
            } catch let error as ServiceError {
                problems.merge(error.fields) { first, _ in first }
            }
        }
        Self.checkRules(minDaysBetween: draft.minDaysBetween ?? nil, maxRepeats: draft.maxRepeats, into: &problems)
        guard problems.isEmpty else {
            throw ServiceError.invalid(problems, message: creating ? "The item was not added." : "The item was not changed.")
        }
        item.text = text
        item.variants = variants
        item.media = media
        if let days = draft.minDaysBetween { item.minDaysBetween = days }
        if let repeats = draft.maxRepeats { item.maxRepeats = repeats }
        if let expiry = draft.expiresAt { item.expiresAt = expiry }
        // A wording removed may leave the turn past the end; it starts again at the text.
        if item.rotationIndex >= item.wordings.count { item.rotationIndex = 0 }
    }

    /// Fills the workspace's coming category slots now, so a change shows at once. What
    /// cannot be filled now (another writer holds SQLite) is logged, and the worker's next
    /// round fills it: the change itself is saved either way.
    func fillSoon(_ workspaceID: UUID) async {
        do {
            try await LibraryFiller(db: db, wiring: wiring).fillSlots(in: workspaceID)
        } catch {
            db.logger.warning("Library slots are filled at the worker's next round: \(String(reflecting: error))")
        }
    }

    /// How often each item went out, when it last did and when it goes next.
    func records(of items: [LibraryItem]) async throws -> [UUID: ItemRecord] {
        let ids = items.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let fills = try await LibraryFill.query(on: db).filter(\.$item.$id ~~ ids).all()
        let deliveries = try await Delivery.query(on: db).filter(\.$post.$id ~~ fills.compactMap(\.$post.id)).all()
        let byPost = Dictionary(grouping: deliveries, by: \.$post.id)
        var records: [UUID: ItemRecord] = Dictionary(uniqueKeysWithValues: ids.map { ($0, ItemRecord()) })
        for fill in fills {
            guard let postID = fill.$post.id else { continue }
            for delivery in byPost[postID] ?? [] {
                if delivery.state == .published {
                    records[fill.$item.id]?.timesSent += 1
                    if let at = delivery.publishedAt, records[fill.$item.id]?.lastSentAt.map({ at > $0 }) ?? true {
                        records[fill.$item.id]?.lastSentAt = at
                    }
                } else if delivery.state.isPending || delivery.state == .sending {
                    if records[fill.$item.id]?.nextDueAt.map({ delivery.scheduledAt < $0 }) ?? true {
                        records[fill.$item.id]?.nextDueAt = delivery.scheduledAt
                    }
                }
            }
        }
        return records
    }
}
