import Fluent
import Foundation

/// A shelf of the evergreen library ("Tips", "Products"): its items go out again and again in
/// the posting slots bound to it, by its rules unless an item has its own.
final class LibraryCategory: Model, @unchecked Sendable {
    static let schema = "library_categories"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Field(key: "name") var name: String
    /// Days that must pass before the same item goes to the same channel again.
    @Field(key: "min_days_between") var minDaysBetween: Int
    /// The most times an item goes out, all channels together; nil: no limit.
    @OptionalField(key: "max_repeats") var maxRepeats: Int?
    /// No item goes out at or after this instant.
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @Children(for: \.$category) var items: [LibraryItem]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(workspaceID: UUID, name: String, minDaysBetween: Int, maxRepeats: Int?, expiresAt: Date?) {
        self.id = UUID()
        self.$workspace.id = workspaceID
        self.name = name
        self.minDaysBetween = minDaysBetween
        self.maxRepeats = maxRepeats
        self.expiresAt = expiresAt
    }
}

/// A workspace's library switch: while paused, no slot is filled from it.
final class LibrarySettings: Model, @unchecked Sendable {
    static let schema = "library_settings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Field(key: "paused") var paused: Bool

    init() {}

    init(workspaceID: UUID, paused: Bool) {
        self.id = UUID()
        self.$workspace.id = workspaceID
        self.paused = paused
    }
}
