import Foundation

/// A Bluesky account: the session refreshed with its refresh token, or, when there is none or
/// it has expired, a new one made with the app password.
public struct BlueskyAccountVerifier: AccountVerifier {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        let client = BlueskyClient(serviceURL: server, http: http)
        let session = try await session(client, credentials)
        var kept = credentials
        kept.refreshJwt = session.refreshJwt
        // The display name only makes the channel easier to recognise; the handle does too.
        let displayName = try? await client.profile(of: session.did, accessJwt: session.accessJwt).displayName
        return NetworkAccount(
            remoteID: session.did, handle: session.handle,
            displayName: displayName.flatMap { $0.isEmpty ? nil : $0 } ?? session.handle, credentials: kept
        )
    }

    private func session(_ client: BlueskyClient, _ credentials: NetworkCredentials) async throws -> BlueskySession {
        if let refresh = credentials.refreshJwt {
            do {
                return try await client.refreshSession(refreshJwt: refresh)
            } catch NetworkError.unauthorized {
                // Expired or revoked: the app password may still work.
            }
        }
        guard let identifier = credentials.identifier, let password = credentials.appPassword else {
            throw NetworkError.unauthorized("Trestle holds no app password for this account.")
        }
        return try await client.createSession(identifier: identifier, password: password)
    }
}
