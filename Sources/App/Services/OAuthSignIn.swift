import Foundation
import Networks
import TextRules

/// Connecting an account of a network that signs in with OAuth 2 and PKCE (S256) at an app
/// the operator registered (X, LinkedIn, Facebook, Instagram, Threads): one flow for all, the
/// network's connector saying where to send the person and what to ask for. `start` gives the
/// address to send the person to and what to keep in their session; `finish` checks what
/// comes back (its state, within the time allowed), trades the code with the verifier and
/// connects the account.
struct OAuthSignIn: Sendable {
    /// How long a person may take at the network before the sign-in is stale.
    static let lifetime: TimeInterval = 15 * 60

    let wiring: Wiring

    /// Kept in the person's session between leaving for the network and coming back.
    struct Pending: Codable, Sendable {
        var network: String
        var workspaceID: UUID
        var redirectURI: String
        var state: String
        var verifier: String
        var timezone: String?
        var startedAt: Date
    }

    /// The network's connector and provider, and the operator's app for it; a network that
    /// does not sign in this way is not found, one whose app is not set is not set up.
    func provider(for name: String) throws -> (connector: any NetworkConnector, provider: OAuthProvider, app: OAuthApp) {
        guard let network = Network(rawValue: name), let connector = wiring.connectors.connector(for: network),
              let provider = connector.connecting.oauth else {
            throw ServiceError.notFound("This sign-in")
        }
        guard let app = wiring.oauthApps[provider.settingName] else {
            throw ServiceError.invalid(["form": "\(network.displayName) is not configured by your operator: TRESTLE_\(provider.settingName)_CLIENT_ID and TRESTLE_\(provider.settingName)_CLIENT_SECRET are not set."])
        }
        return (connector, provider, app)
    }

    func start(network name: String, timezone: String?, for workspace: Workspace, redirectURI: String) throws -> (authorize: URL, pending: Pending) {
        let (connector, provider, app) = try provider(for: name)
        let zone = try ChannelService.timezone(timezone)
        let pkce = PKCE.generate()
        let state = SecretToken.generate(prefix: "").value
        let pending = Pending(network: connector.network.rawValue, workspaceID: try workspace.requireID(), redirectURI: redirectURI,
                              state: state, verifier: pkce.verifier, timezone: zone, startedAt: wiring.clock.now())
        return (provider.authorization(app: app, redirectURI: redirectURI, state: state, pkce: pkce), pending)
    }

    /// What a finished sign-in came to: the channel connected, or — where it can act as several
    /// accounts (a person's Facebook Pages) — the choice the person makes next.
    enum Finished {
        case connected(Channel)
        case choosing(Choosing)
    }

    /// A sign-in that can act as several accounts, kept in the person's session while they
    /// choose: the accounts offered, and the credentials of the sign-in sealed, to ask the
    /// network again for the one chosen. Never the accounts' own tokens.
    struct Choosing: Codable, Sendable {
        struct Offered: Codable, Sendable, Equatable {
            var remoteID: String
            var displayName: String
            var handle: String
        }

        var network: String
        var workspaceID: UUID
        var timezone: String?
        var accounts: [Offered]
        /// The sign-in's credentials, sealed for `sealedFor`.
        var sealed: Data
        var sealedFor: UUID
        var startedAt: Date
    }

    /// Checks that the answer belongs to `pending`, trades the code for tokens and connects the
    /// account to the workspace — or, where the sign-in can act as several, offers them.
    func finish(network name: String, code: String?, state: String?, refusal: String?, pending: Pending, into workspace: Workspace,
                channels: ChannelService, by member: User?) async throws -> Finished {
        guard name == pending.network, let state, state == pending.state else {
            throw ServiceError.malformed("invalid_state", "This sign-in answer does not belong to the sign-in Trestle started. Connect the account again from Channels.")
        }
        guard wiring.clock.now().timeIntervalSince(pending.startedAt) < Self.lifetime else {
            throw ServiceError.malformed("expired", "The sign-in took longer than 15 minutes. Connect the account again from Channels.")
        }
        let (connector, provider, app) = try provider(for: name)
        let networkName = connector.network.displayName
        if let refusal {
            throw ServiceError.invalid(["form": refusal == "access_denied"
                ? "You did not allow Trestle on \(networkName), so nothing was connected."
                : "\(networkName) did not sign you in (\(refusal.prefix(60))). Try again."])
        }
        guard let code, !code.isEmpty, code.utf8.count <= 4_096 else {
            throw ServiceError.malformed("invalid_state", "\(networkName) sent no authorization code. Connect the account again from Channels.")
        }
        let credentials: NetworkCredentials
        let accounts: [NetworkAccount]
        do {
            let tokens = try await OAuthTokenClient(http: wiring.http, provider: provider, app: app, networkName: networkName)
                .tokens(code: code, verifier: pending.verifier, redirectURI: pending.redirectURI, now: wiring.clock.now())
            credentials = try await connector.signedIn(tokens, app: app, now: wiring.clock.now())
            accounts = Array(try await connector.accounts(on: provider.apiBase, with: credentials).prefix(Self.mostOffered))
        } catch let error as NetworkError {
            throw ServiceError.network(error, field: "form", networkName: networkName)
        }
        guard let only = accounts.first else {
            throw ServiceError.invalid(["form": "\(networkName) signed you in, but you manage nothing there Trestle can post as."])
        }
        guard accounts.count > 1 else {
            return .connected(try await connect(connector, only, server: provider.apiBase, timezone: pending.timezone, into: workspace, channels: channels, by: member))
        }
        let key = UUID()
        return .choosing(Choosing(
            network: connector.network.rawValue, workspaceID: try workspace.requireID(), timezone: pending.timezone,
            accounts: accounts.map { Choosing.Offered(remoteID: $0.remoteID, displayName: $0.displayName, handle: $0.handle) },
            sealed: try wiring.sealer.seal(credentials, for: key), sealedFor: key, startedAt: wiring.clock.now()
        ))
    }

    /// The most accounts one sign-in offers to choose from.
    static let mostOffered = 100

    /// Connects the account the person chose among those `choosing` offered, asking the network
    /// again for its credentials.
    func choose(_ remoteID: String?, from choosing: Choosing, into workspace: Workspace, channels: ChannelService, by member: User?) async throws -> Channel {
        guard wiring.clock.now().timeIntervalSince(choosing.startedAt) < Self.lifetime else {
            throw ServiceError.malformed("expired", "The choice took longer than 15 minutes. Connect the account again from Channels.")
        }
        let (connector, provider, _) = try provider(for: choosing.network)
        let networkName = connector.network.displayName
        guard let remoteID, choosing.accounts.contains(where: { $0.remoteID == remoteID }) else {
            throw ServiceError.invalid(["account": "Choose one of the accounts listed."])
        }
        let credentials = try wiring.sealer.open(choosing.sealed, for: choosing.sealedFor)
        let chosen: NetworkAccount?
        do {
            chosen = try await connector.accounts(on: provider.apiBase, with: credentials).first { $0.remoteID == remoteID }
        } catch let error as NetworkError {
            throw ServiceError.network(error, field: "account", networkName: networkName)
        }
        guard let chosen else {
            throw ServiceError.invalid(["account": "\(networkName) no longer lets you post as this account. Connect again from Channels."])
        }
        return try await connect(connector, chosen, server: provider.apiBase, timezone: choosing.timezone, into: workspace, channels: channels, by: member)
    }

    private func connect(_ connector: any NetworkConnector, _ account: NetworkAccount, server: URL, timezone: String?, into workspace: Workspace,
                         channels: ChannelService, by member: User?) async throws -> Channel {
        do {
            return try await channels.connect(verified: account, on: connector.network, server: server, timezone: timezone, to: workspace, by: member).0
        } catch let error as ServiceError {
            // The connector's fields are not on this form: what the network said goes on the form.
            throw error.fields.isEmpty ? error : ServiceError.invalid(["form": error.fields.values.sorted().joined(separator: " ")], message: error.message)
        }
    }
}
