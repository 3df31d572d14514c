import Fluent
import Foundation
import Networks
import TextRules

/// A workspace's channels: connecting an account (its credentials checked by the network
/// itself), listing, and disconnecting.
struct ChannelService: Sendable {
    let db: any Database
    let http: NetworkHTTPClient
    let sealer: CredentialSealer

    /// What a person gives to connect an account where the network takes credentials directly.
    enum Connection: Sendable {
        case mastodon(instanceURL: String, accessToken: String)
        case bluesky(service: String?, identifier: String, appPassword: String)
    }

    /// The networks whose accounts connect by OAuth in a browser, which Trestle does not offer yet.
    static let oauthNetworks: [Network] = [.x, .linkedin, .facebook, .instagram, .threads]

    /// Checks the credentials with the network and saves the channel. The same account
    /// connected again keeps its channel and gets the new credentials and limits.
    /// `name` replaces the account's display name in Trestle's lists when given.
    /// - Returns: the channel, and whether it is new.
    func connect(_ connection: Connection, name: String? = nil, timezone: String?, to workspace: Workspace) async throws -> (Channel, created: Bool) {
        let zone = try Self.timezone(timezone)
        let ownName = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if ownName.count > FieldRules.maximumNameLength {
            throw AppError.invalid(["name": "Keep the channel's name to \(FieldRules.maximumNameLength) characters."])
        }
        let account: ConnectedAccount
        switch connection {
        case let .mastodon(instanceURL, accessToken):
            account = try await connectMastodon(instanceURL: instanceURL, accessToken: accessToken)
        case let .bluesky(service, identifier, appPassword):
            account = try await connectBluesky(service: service, identifier: identifier, appPassword: appPassword)
        }

        let workspaceID = try workspace.requireID()
        let existing = try await Channel.query(on: db)
            .filter(\.$workspace.$id == workspaceID)
            .filter(\.$network == account.network)
            .filter(\.$serverURL == account.serverURL)
            .filter(\.$remoteID == account.remoteID)
            .first()
        let channel = existing ?? Channel(
            id: UUID(), workspaceID: workspaceID, network: account.network, name: account.name, handle: account.handle,
            remoteID: account.remoteID, serverURL: account.serverURL, timezone: zone ?? "UTC"
        )
        channel.accountName = account.name
        if !ownName.isEmpty { channel.customName = ownName }
        channel.handle = account.handle
        channel.status = .active
        channel.problem = nil
        channel.checkedAt = Date()
        if let zone { channel.timezone = zone }
        channel.textLimit = account.textLimit
        channel.charactersReservedPerURL = account.charactersReservedPerURL
        channel.sealedCredentials = try sealer.seal(account.credentials, for: try channel.requireID())
        if existing == nil {
            try await channel.create(on: db)
        } else {
            try await channel.save(on: db)
        }
        return (channel, existing == nil)
    }

    func channels(in workspace: Workspace) async throws -> [Channel] {
        try await Channel.query(on: db)
            .filter(\.$workspace.$id == workspace.requireID())
            .sort(\.$network)
            .sort(\.$handle)
            .all()
    }

    func channel(_ id: UUID, in workspace: Workspace) async throws -> Channel {
        guard
            let channel = try await Channel.query(on: db)
                .filter(\.$id == id)
                .filter(\.$workspace.$id == workspace.requireID())
                .first()
        else { throw AppError.notFound("This channel") }
        return channel
    }

    /// Asks the network whether the channel's credentials still work, and refreshes what the
    /// channel knows (an instance's limits, a Bluesky session). Credentials the network refuses
    /// mark the channel `needs_reconnect` with the network's reason — the answer, not an error.
    /// A network that is down or busy is an error, and the channel is left as it was.
    @discardableResult
    func check(_ channel: Channel, now: Date = Date()) async throws -> Channel {
        let credentials = try self.credentials(of: channel)
        do {
            switch channel.network {
            case .mastodon:
                guard let instanceURL = URL(string: channel.serverURL), let token = credentials.accessToken else {
                    throw NetworkError.unauthorized("Trestle holds no token for this account.")
                }
                let client = MastodonClient(instanceURL: instanceURL, http: http)
                _ = try await client.verifyCredentials(accessToken: token)
                let instance = try await client.instance()
                channel.textLimit = instance.maxCharacters
                channel.charactersReservedPerURL = instance.charactersReservedPerURL
            case .bluesky:
                guard let serviceURL = URL(string: channel.serverURL) else { throw NetworkError.invalidURL(channel.serverURL) }
                channel.sealedCredentials = try sealer.seal(try await refreshedBluesky(credentials, at: serviceURL), for: channel.requireID())
            default:
                break
            }
            channel.status = .active
            channel.problem = nil
        } catch let error as NetworkError {
            guard case let .unauthorized(reason) = error else {
                throw AppError.network(error, field: "channel", networkName: channel.network.displayName)
            }
            channel.status = .needsReconnect
            channel.problem = reason
        }
        channel.checkedAt = now
        try await channel.save(on: db)
        return channel
    }

    /// A Bluesky session from the refresh token, or, once that has expired, from the app password.
    private func refreshedBluesky(_ credentials: ChannelCredentials, at serviceURL: URL) async throws -> ChannelCredentials {
        let client = BlueskyClient(serviceURL: serviceURL, http: http)
        var updated = credentials
        if let refresh = credentials.refreshJwt {
            do {
                updated.refreshJwt = try await client.refreshSession(refreshJwt: refresh).refreshJwt
                return updated
            } catch NetworkError.unauthorized {
                // Expired or revoked: the app password may still work.
            }
        }
        guard let identifier = credentials.identifier, let password = credentials.appPassword else {
            throw NetworkError.unauthorized("Trestle holds no app password for this account.")
        }
        updated.refreshJwt = try await client.createSession(identifier: identifier, password: password).refreshJwt
        return updated
    }

    /// Renames the channel in Trestle and moves its posting times to another zone; a field left
    /// out stays as it is.
    func update(_ channel: Channel, name: String?, timezone: String?) async throws {
        var problems: [String: String] = [:]
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                problems["name"] = "Give the channel a name."
            } else if trimmed.count > FieldRules.maximumNameLength {
                problems["name"] = "Keep the channel's name to \(FieldRules.maximumNameLength) characters."
            } else {
                channel.customName = trimmed
            }
        }
        do {
            if let zone = try Self.timezone(timezone) { channel.timezone = zone }
        } catch let error as AppError {
            problems.merge(error.fields) { first, _ in first }
        }
        guard problems.isEmpty else { throw AppError.invalid(problems, message: "The channel was not changed.") }
        try await channel.save(on: db)
    }

    /// Removes the channel; posts keep their text and lose only this target.
    func disconnect(_ channel: Channel) async throws {
        try await channel.delete(on: db)
    }

    /// The credentials Trestle keeps for `channel`.
    func credentials(of channel: Channel) throws -> ChannelCredentials {
        try sealer.open(channel.sealedCredentials, for: channel.requireID())
    }

    // MARK: Networks

    private struct ConnectedAccount {
        var network: Network
        var name: String
        var handle: String
        var remoteID: String
        var serverURL: String
        var credentials: ChannelCredentials
        var textLimit: Int?
        var charactersReservedPerURL: Int?
    }

    private func connectMastodon(instanceURL typed: String, accessToken typedToken: String) async throws -> ConnectedAccount {
        let token = typedToken.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [String: String] = [:]
        if typed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems["instanceURL"] = "Type your instance's address, such as mastodon.social." }
        if token.isEmpty { problems["accessToken"] = "Paste an access token from your instance: Preferences → Development → New application." }
        guard problems.isEmpty else { throw AppError.invalid(problems, message: "The channel was not connected.") }

        do {
            let client = MastodonClient(instanceURL: try MastodonClient.instanceURL(from: typed), http: http)
            let account = try await client.verifyCredentials(accessToken: token)
            let instance = try await client.instance()
            let domain = instance.domain ?? client.instanceURL.host ?? ""
            return ConnectedAccount(
                network: .mastodon, name: account.displayName.isEmpty ? account.username : account.displayName,
                handle: "@\(account.username)@\(domain)", remoteID: account.id, serverURL: client.instanceURL.absoluteString,
                credentials: ChannelCredentials(accessToken: token),
                textLimit: instance.maxCharacters, charactersReservedPerURL: instance.charactersReservedPerURL
            )
        } catch let error as NetworkError {
            let field = if case .unauthorized = error { "accessToken" } else { "instanceURL" }
            throw AppError.network(error, field: field, networkName: "Mastodon")
        }
    }

    private func connectBluesky(service: String?, identifier typed: String, appPassword typedPassword: String) async throws -> ConnectedAccount {
        var identifier = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        if identifier.hasPrefix("@") { identifier.removeFirst() }
        let password = typedPassword.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [String: String] = [:]
        if identifier.isEmpty { problems["identifier"] = "Type your handle, such as shop.bsky.social." }
        if password.isEmpty { problems["appPassword"] = "Paste an app password: Bluesky → Settings → Privacy and security → App passwords." }
        guard problems.isEmpty else { throw AppError.invalid(problems, message: "The channel was not connected.") }

        do {
            let client = BlueskyClient(serviceURL: try BlueskyClient.serviceURL(from: service), http: http)
            let session = try await client.createSession(identifier: identifier, password: password)
            // The display name only makes the channel easier to recognise; the handle does too.
            let displayName = try? await client.profile(of: session.did, accessJwt: session.accessJwt).displayName
            return ConnectedAccount(
                network: .bluesky, name: displayName.flatMap { $0.isEmpty ? nil : $0 } ?? session.handle,
                handle: session.handle, remoteID: session.did, serverURL: client.serviceURL.absoluteString,
                credentials: ChannelCredentials(identifier: identifier, appPassword: password, refreshJwt: session.refreshJwt)
            )
        } catch let error as NetworkError {
            let field = switch error {
            case .unauthorized: "appPassword"
            default: "service"
            }
            throw AppError.network(error, field: field, networkName: "Bluesky")
        }
    }

    /// An IANA zone such as `Europe/Berlin`, or nil to keep the default.
    static func timezone(_ typed: String?) throws -> String? {
        guard let typed = typed?.trimmingCharacters(in: .whitespaces), !typed.isEmpty else { return nil }
        guard TimeZone(identifier: typed) != nil else {
            throw AppError.invalid(["timezone": "\(typed.prefix(60)) is not a time zone; use a name such as Europe/Berlin or America/New_York."])
        }
        return typed
    }
}

extension ChannelService {
    /// The connection a request asks for, from loose fields (the API's body or a form).
    static func connection(
        network name: String, instanceURL: String?, accessToken: String?, service: String?, identifier: String?, appPassword: String?
    ) throws -> Connection {
        switch Network(rawValue: name.lowercased()) {
        case .mastodon:
            return .mastodon(instanceURL: instanceURL ?? "", accessToken: accessToken ?? "")
        case .bluesky:
            return .bluesky(service: service, identifier: identifier ?? "", appPassword: appPassword ?? "")
        case let network? where oauthNetworks.contains(network):
            throw AppError.invalid(["network": "\(network.displayName) accounts connect by signing in to \(network.displayName) (OAuth), which Trestle does not offer yet. Mastodon and Bluesky connect now."])
        default:
            let site = name.lowercased() == "site" ? "The Site channel (your own page and feed) is not available yet. " : "Unknown network \"\(name.prefix(40))\". "
            throw AppError.invalid(["network": site + "Connect mastodon or bluesky."])
        }
    }
}
