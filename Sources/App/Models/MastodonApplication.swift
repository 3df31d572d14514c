import Fluent
import Foundation

/// Trestle's registration as an application on one Mastodon instance (for one callback
/// address), made the first time someone signs in from there and reused afterwards.
final class MastodonApplication: Model, @unchecked Sendable {
    static let schema = "mastodon_applications"

    @ID(key: .id) var id: UUID?
    @Field(key: "instance_url") var instanceURL: String
    @Field(key: "redirect_uri") var redirectURI: String
    /// `MastodonApplicationCredentials`, sealed by `CredentialSealer`.
    @Field(key: "sealed_credentials") var sealedCredentials: Data
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID, instanceURL: String, redirectURI: String) {
        self.id = id
        self.instanceURL = instanceURL
        self.redirectURI = redirectURI
        self.sealedCredentials = Data()
    }
}
