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

    /// Checks that the answer belongs to `pending`, trades the code for tokens and connects the
    /// account to the workspace.
    func finish(network name: String, code: String?, state: String?, refusal: String?, pending: Pending, into workspace: Workspace,
                channels: ChannelService, by member: User?) async throws -> Channel {
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
        do {
            let tokens = try await OAuthTokenClient(http: wiring.http, provider: provider, app: app, networkName: networkName)
                .tokens(code: code, verifier: pending.verifier, redirectURI: pending.redirectURI, now: wiring.clock.now())
            credentials = try await connector.signedIn(tokens, app: app, now: wiring.clock.now())
        } catch let error as NetworkError {
            throw ServiceError.network(error, field: "form", networkName: networkName)
        }
        do {
            return try await channels.connect(connector, server: provider.apiBase, credentials: credentials, timezone: pending.timezone, to: workspace, by: member).0
        } catch let error as ServiceError {
            // The connector's fields are not on this form: what the network said goes on the form.
            throw error.fields.isEmpty ? error : ServiceError.invalid(["form": error.fields.values.sorted().joined(separator: " ")], message: error.message)
        }
    }
}
