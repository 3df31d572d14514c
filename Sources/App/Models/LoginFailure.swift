import Fluent
import Foundation

/// One failed sign-in, kept for a short while so repeated guessing can be slowed down on every
/// node alike.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    /// `account:<email>` or `address:<ip>`.
    @Field(key: "subject") var subject: String
    @Field(key: "occurred_at") var occurredAt: Date

    init() {}

    init(subject: String, occurredAt: Date) {
        self.subject = subject
        self.occurredAt = occurredAt
    }
}
