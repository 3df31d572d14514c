import Fluent
import Foundation

/// A site address handed out once: kept when its site is disconnected, so the address (and the
/// feeds people subscribed to there) never passes to another business.
final class ReservedSlug: Model, @unchecked Sendable {
    static let schema = "site_slugs"

    @ID(key: .id) var id: UUID?
    /// Unique across the installation.
    @Field(key: "slug") var slug: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(slug: String) {
        self.id = UUID()
        self.slug = slug
    }
}
