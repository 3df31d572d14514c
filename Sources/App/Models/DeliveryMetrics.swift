import Fluent
import Foundation

/// What a network counts for one published delivery, as last read, and when it is read next
/// (`MetricsSchedule`). A count is nil where the network does not give it; all are nil before
/// the first reading.
final class DeliveryMetrics: Model, @unchecked Sendable {
    static let schema = "delivery_metrics"

    /// The delivery's own id: one row per delivery.
    @ID(custom: "delivery_id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "likes") var likes: Int64?
    @OptionalField(key: "reposts") var reposts: Int64?
    @OptionalField(key: "replies") var replies: Int64?
    @OptionalField(key: "quotes") var quotes: Int64?
    @OptionalField(key: "impressions") var impressions: Int64?
    /// The last reading that gave counts.
    @OptionalField(key: "read_at") var readAt: Date?
    /// Nil once there is nothing more to read: the post is past the schedule's end or gone.
    @OptionalField(key: "next_read_at") var nextReadAt: Date?
    @Field(key: "reads") var reads: Int
    /// Why the last reading gave no counts, or that the post was deleted.
    @OptionalField(key: "last_error") var lastError: String?
    /// Readings in a row that gave no counts.
    @Field(key: "failures") var failures: Int

    init() {}
}

/// Where a channel's reading of its network's counts stands: when its job runs next, when its
/// followers are read next (once a UTC day), and the last failure of the channel as a whole.
final class MetricsReaderState: Model, @unchecked Sendable {
    static let schema = "metrics_readers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "channel_id") var channel: Channel
    @Field(key: "next_run_at") var nextRunAt: Date
    @Field(key: "followers_due_at") var followersDueAt: Date
    @OptionalField(key: "last_run_at") var lastRunAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "failures") var failures: Int

    init() {}
}
