import Fluent
import Foundation

/// A post kept in the library to go out again: its text, other wordings of it taken in turn,
/// and its media. It is never delivered itself; each time it goes out it becomes an ordinary
/// post (see `LibraryFill`).
final class LibraryItem: Model, @unchecked Sendable {
    static let schema = "library_items"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "category_id") var category: LibraryCategory
    @Field(key: "text") var text: String
    /// Other wordings of the same post; each send takes the next of `[text] + variants`.
    @Field(key: "variants") var variants: [String]
    @Field(key: "media") var media: [UUID]
    /// The item's own rules; nil: its category's.
    @OptionalField(key: "min_days_between") var minDaysBetween: Int?
    @OptionalField(key: "max_repeats") var maxRepeats: Int?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    /// Which wording the next send takes, counting from the text.
    @Field(key: "rotation_index") var rotationIndex: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(workspaceID: UUID, categoryID: UUID) {
        self.id = UUID()
        self.$workspace.id = workspaceID
        self.$category.id = categoryID
        self.text = ""
        self.variants = []
        self.media = []
        self.rotationIndex = 0
    }

    /// Every wording, the text first.
    var wordings: [String] { [text] + variants }
}

/// One time a library item went (or is to go) out: the ordinary post made for it, in one
/// channel's slot. Unique per channel and slot instant, so a slot is never filled twice.
/// Canceling a fill (pause, deleting the item) removes the row, and the slot is free again; a
/// person deleting the post itself skips that slot: the row stays without a post, so the
/// library does not put the same item straight back.
final class LibraryFill: Model, @unchecked Sendable {
    static let schema = "library_fills"

    @ID(key: .id) var id: UUID?
    @Parent(key: "item_id") var item: LibraryItem
    @Parent(key: "channel_id") var channel: Channel
    /// Nil once a person deleted the post: the slot was skipped.
    @OptionalParent(key: "post_id") var post: Post?
    /// The slot's instant, as the schedule laid it out (the delivery may be moved later).
    @Field(key: "slot_at") var slotAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(itemID: UUID, channelID: UUID, postID: UUID, slotAt: Date) {
        self.id = UUID()
        self.$item.id = itemID
        self.$channel.id = channelID
        self.$post.id = postID
        self.slotAt = slotAt
    }
}
