import Fluent
import Foundation
import Networks
import SQLKit
import TextRules

/// The account a channel acts as, with credentials that are still good: where the network's
/// access tokens end (X's two hours, Threads' sixty days), they are renewed a little before,
/// by one worker at a time per channel. A refresh token that is spent by its first use (X)
/// would otherwise be spent twice by two workers, and the second would lose the account.
///
/// The one who renews holds a lease on the channel's row (`credentials_refreshing_until`),
/// taken with a single conditional UPDATE, so it holds across processes and on SQLite and
/// PostgreSQL alike; the others wait for it to end and read the credentials it stored.
extension ChannelService {
    /// How long one renewal may hold the channel before another may try.
    static let refreshLease: TimeInterval = 60

    /// The account to call the network as, its credentials renewed first when they are about
    /// to end. Credentials the network refuses to renew mark the channel `needs_reconnect` and
    /// throw `NetworkError.unauthorized`.
    func account(of channel: Channel) async throws -> PublishingAccount {
        guard let server = URL(string: channel.serverURL) else { throw NetworkError.invalidURL(channel.serverURL) }
        var credentials = try credentials(of: channel)
        if isEnding(credentials, of: channel.network) {
            credentials = try await renewed(channel)
        }
        return PublishingAccount(server: server, accountID: channel.remoteID, credentials: credentials)
    }

    /// Whether the credentials end within the network's renewal window (`renewBefore`), so
    /// that a call started now does not meet an ended token.
    func isEnding(_ credentials: NetworkCredentials, of network: Network) -> Bool {
        guard let expiresAt = credentials.expiresAt else { return false }
        let window = wiring.connectors.connector(for: network)?.renewBefore ?? 5 * 60
        return expiresAt <= wiring.clock.now().addingTimeInterval(window)
    }

    /// Renews the channel's credentials, or waits for whoever is renewing them; returns what is
    /// stored after.
    private func renewed(_ channel: Channel) async throws -> NetworkCredentials {
        let channelID = try channel.requireID()
        let sql = db as! any SQLDatabase
        let deadline = Date().addingTimeInterval(Self.refreshLease + 5)
        while true {
            let now = wiring.clock.now()
            let taken = try await sql.raw("""
                UPDATE channels SET credentials_refreshing_until = \(bind: now.addingTimeInterval(Self.refreshLease))
                WHERE id = \(bind: channelID) AND (credentials_refreshing_until IS NULL OR credentials_refreshing_until < \(bind: now))
                RETURNING id
                """).all()
            if !taken.isEmpty {
                return try await renewHolding(channel)
            }
            // Another is renewing: its answer is read when its lease is gone.
            guard Date() < deadline else { throw NetworkError.timedOut(host: channel.network.displayName) }
            try await Task.sleep(for: .milliseconds(100))
            guard let current = try await Channel.find(channelID, on: db) else { throw ServiceError.notFound("This channel") }
            let stored = try credentials(of: current)
            if !isEnding(stored, of: current.network) {
                channel.sealedCredentials = current.sealedCredentials
                return stored
            }
            if current.status == .needsReconnect { throw NetworkError.unauthorized(current.problem ?? "The network refused to renew the credentials.") }
        }
    }

    /// With the lease held: reads the credentials again (another may have renewed them just
    /// before), renews them, and stores them with the lease let go, in one transaction.
    private func renewHolding(_ channel: Channel) async throws -> NetworkCredentials {
        let channelID = try channel.requireID()
        let sql = db as! any SQLDatabase
        do {
            guard let current = try await Channel.find(channelID, on: db) else { throw ServiceError.notFound("This channel") }
            var credentials = try credentials(of: current)
            if isEnding(credentials, of: current.network) {
                guard let connector = wiring.connectors.connector(for: current.network), let server = URL(string: current.serverURL) else {
                    throw NetworkError.configuration("Trestle cannot renew \(current.network.displayName) credentials.")
                }
                let app = connector.connecting.oauth.flatMap { wiring.oauthApps[$0.settingName] }
                let account = PublishingAccount(server: server, accountID: current.remoteID, credentials: credentials)
                if let renewed = try await connector.refresh(account, app: app, now: wiring.clock.now()) { credentials = renewed }
            }
            let sealed = try sealer.seal(credentials, for: channelID)
            try await sql.raw("""
                UPDATE channels SET sealed_credentials = \(bind: sealed), credentials_refreshing_until = NULL WHERE id = \(bind: channelID)
                """).run()
            channel.sealedCredentials = sealed
            return credentials
        } catch {
            if case let NetworkError.unauthorized(reason) = error {
                try await sql.raw("""
                    UPDATE channels SET status = \(bind: Channel.Status.needsReconnect.rawValue), problem = \(bind: String(reason.prefix(1_000))),
                    credentials_refreshing_until = NULL WHERE id = \(bind: channelID)
                    """).run()
                channel.status = .needsReconnect
                channel.problem = reason
            } else {
                try? await sql.raw("UPDATE channels SET credentials_refreshing_until = NULL WHERE id = \(bind: channelID)").run()
            }
            throw error
        }
    }
}
