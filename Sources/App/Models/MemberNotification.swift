import Fluent
import Foundation

/// Something a member should see: an entry of the activity feed that concerns them (a mention,
/// a request for changes on their post), until they mark it read.
final class MemberNotification: Model, @unchecked Sendable {
    static let schema = "member_notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "activity_id") var activity: Activity
    @OptionalField(key: "read_at") var readAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// How a person wants to hear of notifications beyond Trestle's own page.
final class NotificationSettings: Model, @unchecked Sendable {
    static let schema = "notification_settings"

    @ID(custom: "user_id", generatedBy: .user) var id: UUID?
    /// An email for each notification, through the operator's SMTP server.
    @Field(key: "by_email") var byEmail: Bool

    init() {}
}
