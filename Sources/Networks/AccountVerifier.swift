import Foundation

/// What Trestle keeps to act as an account on a network. The app seals it; it is never shown
/// or logged.
public struct NetworkCredentials: Codable, Sendable, Equatable {
    /// An OAuth access token (Mastodon).
    public var accessToken: String?
    /// A handle or email and an app password, to log in again when a session ends (Bluesky).
    public var identifier: String?
    public var appPassword: String?
    /// The refresh token of the current session (Bluesky).
    public var refreshJwt: String?
    /// An OAuth 2 refresh token, to renew the access token with (X, Threads…).
    public var refreshToken: String?
    /// When the access token ends, where the network said.
    public var expiresAt: Date?

    public init(accessToken: String? = nil, identifier: String? = nil, appPassword: String? = nil, refreshJwt: String? = nil,
                refreshToken: String? = nil, expiresAt: Date? = nil) {
        self.accessToken = accessToken
        self.identifier = identifier
        self.appPassword = appPassword
        self.refreshJwt = refreshJwt
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
    }
}

/// An account as its network describes it when Trestle connects or checks it.
public struct NetworkAccount: Sendable, Equatable {
    /// The network's own id of the account (Mastodon account id, Bluesky DID).
    public var remoteID: String
    /// `@user@instance` on Mastodon, `user.bsky.social` on Bluesky.
    public var handle: String
    /// The display name, or the handle when there is none.
    public var displayName: String
    /// The credentials to keep from now on: the network may have rotated them.
    public var credentials: NetworkCredentials
    /// The server's own text limit and link reservation, where it has them (a Mastodon instance).
    public var textLimit: Int?
    public var charactersReservedPerURL: Int?

    public init(remoteID: String, handle: String, displayName: String, credentials: NetworkCredentials, textLimit: Int? = nil, charactersReservedPerURL: Int? = nil) {
        self.remoteID = remoteID
        self.handle = handle
        self.displayName = displayName
        self.credentials = credentials
        self.textLimit = textLimit
        self.charactersReservedPerURL = charactersReservedPerURL
    }
}

/// One network's way of confirming an account. Connecting and the daily check both ask it, so
/// a network's quirks (an instance's limits, a session to refresh) live in its own folder.
public protocol AccountVerifier: Sendable {
    /// Who `credentials` belong to on `server`, refreshing them where the network rotates them.
    /// Refused credentials throw `NetworkError.unauthorized` with the network's reason.
    func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount
}
