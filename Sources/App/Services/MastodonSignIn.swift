import Fluent
import Foundation
import Networks

/// Connecting a Mastodon account by signing in on its instance (OAuth 2 with PKCE), instead of
/// pasting a token: `start` gives the address to send the person to and what to keep in their
/// session; `finish` checks what comes back and connects the channel.
struct MastodonSignIn: Sendable {
    /// How long a person may take on their instance before the sign-in is stale.
    static let lifetime: TimeInterval = 15 * 60

    let db: any Database
    let http: NetworkHTTPClient
    let sealer: CredentialSealer

    /// Kept in the person's session between leaving for the instance and coming back.
    struct Pending: Codable, Sendable {
        var workspaceID: UUID
        var instanceURL: String
        var redirectURI: String
        var state: String
        var verifier: String
        var timezone: String?
        var startedAt: Date
    }

    func start(instanceURL typed: String, timezone: String?, for workspace: Workspace, redirectURI: String) async throws -> (authorize: URL, pending: Pending) {
        guard !typed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ServiceError.invalid(["instanceURL": "Type your instance's address, such as mastodon.social."], message: "The channel was not connected.")
        }
        let zone = try ChannelService.timezone(timezone)
        do {
            let client = MastodonClient(instanceURL: try MastodonClient.instanceURL(from: typed), http: http)
            let application = try await registration(on: client, redirectURI: redirectURI)
            let pkce = PKCE.generate()
            let state = SecretToken.generate(prefix: "").value
            let pending = Pending(
                workspaceID: try workspace.requireID(), instanceURL: client.instanceURL.absoluteString, redirectURI: redirectURI,
                state: state, verifier: pkce.verifier, timezone: zone, startedAt: Date()
            )
            return (client.authorizationURL(clientID: application.clientID, redirectURI: redirectURI, state: state, pkce: pkce), pending)
        } catch let error as NetworkError {
            throw ServiceError.network(error, field: "instanceURL", networkName: "Mastodon")
        }
    }

    /// Checks that the answer belongs to `pending`, trades the code for a token and connects
    /// the account to the workspace.
    func finish(code: String?, state: String?, refusal: String?, pending: Pending, into workspace: Workspace, channels: ChannelService, by member: User?) async throws -> Channel {
        guard let state, state == pending.state else {
            throw ServiceError.malformed("invalid_state", "This sign-in answer does not belong to the sign-in Trestle started. Connect the account again from Channels.")
        }
        guard Date().timeIntervalSince(pending.startedAt) < Self.lifetime else {
            throw ServiceError.malformed("expired", "The sign-in took longer than 15 minutes. Connect the account again from Channels.")
        }
        let host = URL(string: pending.instanceURL)?.host ?? pending.instanceURL
        if let refusal {
            throw ServiceError.invalid(["form": refusal == "access_denied"
                ? "You did not allow Trestle on \(host), so nothing was connected."
                : "\(host) did not sign you in (\(refusal.prefix(60))). Try again."])
        }
        guard let code, !code.isEmpty else {
            throw ServiceError.malformed("invalid_state", "\(host) sent no authorization code. Connect the account again from Channels.")
        }
        do {
            guard let instanceURL = URL(string: pending.instanceURL) else { throw NetworkError.invalidURL(pending.instanceURL) }
            let client = MastodonClient(instanceURL: instanceURL, http: http)
            let application = try await registration(on: client, redirectURI: pending.redirectURI)
            let token = try await client.accessToken(code: code, application: application, redirectURI: pending.redirectURI, pkce: PKCE(verifier: pending.verifier))
            let connection = try ChannelConnection(network: "mastodon", fields: ["instanceURL": pending.instanceURL, "accessToken": token], connectors: channels.wiring.connectors)
            return try await channels.connect(connection, timezone: pending.timezone, to: workspace, by: member).0
        } catch let error as NetworkError {
            throw ServiceError.network(error, field: "form", networkName: "Mastodon")
        }
    }

    /// Trestle's registration on the instance, made once per instance and callback address.
    private func registration(on client: MastodonClient, redirectURI: String) async throws -> MastodonApplicationCredentials {
        let instance = client.instanceURL.absoluteString
        if let stored = try await MastodonApplication.query(on: db)
            .filter(\.$instanceURL == instance)
            .filter(\.$redirectURI == redirectURI)
            .first() {
            return try sealer.open(MastodonApplicationCredentials.self, stored.sealedCredentials, for: stored.requireID())
        }
        let credentials = try await client.registerApplication(name: "Trestle", redirectURI: redirectURI, website: nil)
        let application = MastodonApplication(id: UUID(), instanceURL: instance, redirectURI: redirectURI)
        application.sealedCredentials = try sealer.seal(credentials, for: application.requireID())
        do {
            try await application.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two people started at once on the same instance: keep the first registration.
            return try await registration(on: client, redirectURI: redirectURI)
        }
        return credentials
    }
}
