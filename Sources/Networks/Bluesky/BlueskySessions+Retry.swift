import Foundation

extension BlueskySessions {
    /// Runs `work` with the account's live session; when the service refuses its access token
    /// (it can end before its two hours), the session is replaced once before the refusal
    /// stands. `work` is handed the credentials to keep when opening the session rotated them.
    nonisolated func withSession<T: Sendable>(
        for account: PublishingAccount, client: BlueskyClient, _ work: (BlueskySession, NetworkCredentials?) async throws -> T
    ) async throws -> T {
        let (live, credentials) = try await self.session(for: account, client: client)
        do {
            return try await work(live, credentials)
        } catch NetworkError.unauthorized {
            await forget(live, of: account)
            let (fresh, rotated) = try await self.session(for: account, client: client)
            return try await work(fresh, rotated ?? credentials)
        }
    }
}
