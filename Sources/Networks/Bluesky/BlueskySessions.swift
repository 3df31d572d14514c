import Foundation

/// The logged-in sessions of the Bluesky accounts this process acts for, shared by everything
/// that calls Bluesky for them (publishing, reading the inbox), so an inbox poll every minute
/// does not log in every minute and a post does not log in again after the poll.
///
/// A session is kept for 90 of its access token's two hours. An expired one is refreshed with
/// the refresh token; a refresh token that has expired or was revoked falls back to the app
/// password. Callers asking at once for the same account share one refresh: a refresh token is
/// spent by its first use, so two refreshes side by side would throw the second caller back
/// onto the app password.
///
/// Whoever asks with a refresh token other than the live session's is handed the session's to
/// keep. So a rotated token that one caller could not store (a conversation shown, a publish
/// that failed after logging in) reaches the channel with the next caller that can.
public actor BlueskySessions {
    /// A live session, and the credentials to keep when making it changed them.
    public typealias Opened = (session: BlueskySession, credentials: NetworkCredentials?)

    private var kept: [String: (session: BlueskySession, until: Date)] = [:]
    private var opening: [String: Task<BlueskySession, any Error>] = [:]
    private static let lifetime: TimeInterval = 90 * 60

    public init() {}

    /// A live session for the account; `credentials` is set when the account's stored ones
    /// name an older refresh token than the session's.
    public func session(for account: PublishingAccount, client: BlueskyClient) async throws -> Opened {
        let key = Self.key(account)
        let session: BlueskySession
        if let live = kept[key], live.until > Date() {
            session = live.session
        } else if let pending = opening[key] {
            session = try await pending.value
        } else {
            let credentials = account.credentials
            let task = Task { try await Self.open(with: credentials, client: client) }
            opening[key] = task
            defer { opening[key] = nil }
            session = try await task.value
            kept[key] = (session, Date().addingTimeInterval(Self.lifetime))
        }
        guard session.refreshJwt != account.credentials.refreshJwt else { return (session, nil) }
        var credentials = account.credentials
        credentials.refreshJwt = session.refreshJwt
        return (session, credentials)
    }

    /// Forgets the account's session after the service refused it (an access token can end
    /// before its two hours); a session made since by another caller is kept.
    public func forget(_ session: BlueskySession, of account: PublishingAccount) {
        let key = Self.key(account)
        if kept[key]?.session.accessJwt == session.accessJwt { kept[key] = nil }
    }

    private static func key(_ account: PublishingAccount) -> String {
        "\(account.server.absoluteString) \(account.accountID)"
    }

    private static func open(with credentials: NetworkCredentials, client: BlueskyClient) async throws -> BlueskySession {
        var session: BlueskySession?
        if let refresh = credentials.refreshJwt {
            do {
                session = try await client.refreshSession(refreshJwt: refresh)
            } catch NetworkError.unauthorized {
                // Expired or revoked: the app password may still work.
            }
        }
        if session == nil {
            guard let identifier = credentials.identifier, let password = credentials.appPassword else {
                throw NetworkError.unauthorized("Trestle holds no app password for this account.")
            }
            session = try await client.createSession(identifier: identifier, password: password)
        }
        guard let session else { throw NetworkError.unauthorized("Bluesky gave no session.") }
        return session
    }
}
