import Fluent
import Foundation

/// A lead or a sale a shop reported, with the click id its visitor came with: through the click
/// it is traced to the short link and so to the delivery, post and channel that brought it.
final class Conversion: Model, @unchecked Sendable {
    static let schema = "conversions"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case lead
        case sale
    }

    /// How it reached Trestle.
    enum Source: String, Codable, Sendable {
        /// The script a shop pastes into its site.
        case script
        /// A server's call with an API token.
        case api
        /// A CSV of orders.
        case csv
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Field(key: "kind") var kind: Kind
    /// The shop's own id: a second report of the same order (by any way) is the same conversion.
    @OptionalField(key: "order_id") var orderID: String?
    /// Thousandths of the currency's unit, so sums are exact.
    @OptionalField(key: "value_milli") var valueMilli: Int64?
    /// ISO 4217, upper case.
    @OptionalField(key: "currency") var currency: String?
    @OptionalField(key: "click_id") var clickID: String?
    @Field(key: "source") var source: Source
    @Field(key: "occurred_at") var occurredAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A workspace's settings for counting conversions: the public key its site's script sends,
/// and how many days after a click a conversion is still the click's.
final class WorkspaceTracking: Model, @unchecked Sendable {
    static let schema = "workspace_tracking"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    /// Public by design: it is in the shop's pages. It can only report conversions.
    @Field(key: "public_key") var publicKey: String
    @Field(key: "attribution_days") var attributionDays: Int
    /// Posts' links go out as short links (unless a post says otherwise).
    @Field(key: "shortens_links") var shortensLinks: Bool

    init() {}

    init(workspaceID: UUID, publicKey: String) {
        self.$workspace.id = workspaceID
        self.publicKey = publicKey
        self.attributionDays = 7
        self.shortensLinks = true
    }
}
