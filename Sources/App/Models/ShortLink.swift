import Fluent
import Foundation
import TextRules

/// A short address under Trestle's own (`/l/{code}`) that sends a visitor on to `url` with the
/// workspace's UTM tags and a click id, so a visit, a lead and a sale can be traced back to the
/// post that brought them. Made for a link in a delivery, or by hand.
final class ShortLink: Model, @unchecked Sendable {
    static let schema = "short_links"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    /// Unique over the installation; letters and digits only.
    @Field(key: "code") var code: String
    /// Where a visitor goes: an http(s) address, checked when the link was made.
    @Field(key: "url") var url: String
    /// `utm_source`: the network a delivery's link went out on; nil for a link made by hand.
    @OptionalField(key: "source") var source: Network?
    /// `utm_campaign`: the post's campaign, its feed's or its library item's.
    @OptionalField(key: "campaign") var campaign: String?
    @OptionalField(key: "delivery_id") var deliveryID: UUID?
    @OptionalField(key: "post_id") var postID: UUID?
    @OptionalField(key: "channel_id") var channelID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(workspaceID: UUID, code: String, url: String) {
        self.$workspace.id = workspaceID
        self.code = code
        self.url = url
    }
}
