import Fluent
import Foundation
import Networks
import TextRules

/// A workspace's channels: connecting an account (its credentials checked by the network
/// itself), listing, and disconnecting.
struct ChannelService: Sendable {
    let db: any Database
    let wiring: Wiring

    var http: NetworkHTTPClient { wiring.http }
    var sealer: CredentialSealer { wiring.sealer }

    /// Which network confirms accounts how: the registry's connector; a network without one
    /// cannot connect yet.
    func verifier(for network: Network) -> (any AccountVerifier)? {
        guard !network.livesInTrestle else { return nil }
        return wiring.connectors.connector(for: network)
    }

    /// Checks the credentials with the network and saves the channel. The same account
    /// connected again keeps its channel (and the name the workspace gave it) and gets the new
    /// credentials and limits. `name` is the workspace's own name for the channel.
    /// - Returns: the channel, and whether it is new.
    func connect(_ connection: ChannelConnection, name: String? = nil, timezone: String?, to workspace: Workspace, by member: User?) async throws -> (Channel, created: Bool) {
        if connection.network.livesInTrestle {
            let site = try await makeSite(named: name, timezone: timezone, in: workspace)
            try await recordConnection(of: site, by: member)
            return (site, true)
        }
        let (server, credentials) = try connection.prepared()
        return try await connect(connection.connector, server: server, credentials: credentials, name: name, timezone: timezone, to: workspace, by: member)
    }

    /// Checks credentials got by signing in (or typed and prepared) with the network and saves
    /// the channel, as `connect(_:name:timezone:to:by:)` does.
    func connect(_ connector: any NetworkConnector, server: URL, credentials: NetworkCredentials, name: String? = nil, timezone: String?,
                 to workspace: Workspace, by member: User?) async throws -> (Channel, created: Bool) {
        _ = try Self.timezone(timezone)
        _ = try Self.ownName(name)
        let account: NetworkAccount
        do {
            account = try await connector.account(on: server, with: credentials)
        } catch let error as NetworkError {
            let field = if case .unauthorized = error { connector.connecting.secretField } else { connector.connecting.serverField }
            throw ServiceError.network(error, field: field, networkName: connector.network.displayName)
        }
        return try await connect(verified: account, on: connector.network, server: server, name: name, timezone: timezone, to: workspace, by: member)
    }

    /// Saves the channel of an account the network has just named itself — one a sign-in
    /// offered (`NetworkConnector.accounts(on:with:)`) — without asking it again.
    func connect(verified account: NetworkAccount, on network: Network, server: URL, name: String? = nil, timezone: String?,
                 to workspace: Workspace, by member: User?) async throws -> (Channel, created: Bool) {
        let zone = try Self.timezone(timezone)
        let ownName = try Self.ownName(name)
        let workspaceID = try workspace.requireID()
        let existing = try await Channel.query(on: db)
            .filter(\.$workspace.$id == workspaceID)
            .filter(\.$network == network)
            .filter(\.$serverURL == server.absoluteString)
            .filter(\.$remoteID == account.remoteID)
            .first()
        let channel = existing ?? Channel(
            id: UUID(), workspaceID: workspaceID, network: network, name: account.displayName, handle: account.handle,
            remoteID: account.remoteID, serverURL: server.absoluteString, timezone: zone ?? "UTC"
        )
        if !ownName.isEmpty { channel.customName = ownName }
        if let zone { channel.timezone = zone }
        try apply(account, to: channel, checkedAt: Date())
        if existing == nil {
            try await channel.create(on: db)
        } else {
            try await db.transaction { db in
                try await channel.save(on: db)
                try await wiring.deliveries(on: db).resumeWaiting(for: channel)
            }
        }
        try await recordConnection(of: channel, by: member)
        return (channel, existing == nil)
    }

    private func recordConnection(of channel: Channel, by member: User?) async throws {
        try await ActivityLog(db: db, clock: wiring.clock)
            .record(.connected, in: channel.$workspace.id, by: member?.requireID(), "\(channel.network.displayName) \(channel.handle)")
    }

    /// What the network just said about the account, onto its channel.
    private func apply(_ account: NetworkAccount, to channel: Channel, checkedAt: Date) throws {
        channel.accountName = account.displayName
        channel.handle = account.handle
        channel.textLimit = account.textLimit
        channel.charactersReservedPerURL = account.charactersReservedPerURL
        channel.sealedCredentials = try sealer.seal(account.credentials, for: channel.requireID())
        channel.status = .active
        channel.problem = nil
        channel.checkedAt = checkedAt
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
        else { throw ServiceError.notFound("This channel") }
        return channel
    }

    /// Asks the network whether the channel's credentials still work, and refreshes what the
    /// channel knows (an instance's limits, a Bluesky session). Credentials the network refuses
    /// mark the channel `needs_reconnect` with the network's reason — the answer, not an error.
    /// A network that is down or busy is an error, and the channel is left as it was.
    @discardableResult
    func check(_ channel: Channel, now: Date = Date()) async throws -> Channel {
        // A site lives inside Trestle: there is nothing outside to ask.
        guard !channel.network.livesInTrestle else {
            channel.checkedAt = now
            try await channel.save(on: db)
            return channel
        }
        do {
            guard let verifier = verifier(for: channel.network) else {
                throw NetworkError.configuration("No way to check \(channel.network.displayName) accounts yet.")
            }
            // Credentials about to end are renewed first, as for any other call.
            let account = try await self.account(of: channel)
            try apply(try await verifier.account(on: account.server, with: account.credentials), to: channel, checkedAt: now)
        } catch let error as NetworkError {
            guard case let .unauthorized(reason) = error else {
                throw ServiceError.network(error, field: "channel", networkName: channel.network.displayName)
            }
            channel.status = .needsReconnect
            channel.problem = reason
            channel.checkedAt = now
        }
        try await channel.save(on: db)
        return channel
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
        } catch let error as ServiceError {
            problems.merge(error.fields) { first, _ in first }
        }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "The channel was not changed.") }
        try await channel.save(on: db)
    }

    /// The channel's posting times, replaced whole; local to its zone.
    func setPostingSlots(_ slots: [PostingSlot], of channel: Channel) async throws {
        guard slots.count <= 7 * 24 else {
            throw ServiceError.invalid(["slots": "A channel can have at most \(7 * 24) posting times a week."])
        }
        // A channel has one slot per time: the first one given for a time is kept.
        var seen: Set<[Int]> = []
        let unique = slots.filter { seen.insert($0.sameTime).inserted }
        // Tenancy: a category of another workspace is as unknown as one that does not exist.
        let categories = Set(unique.compactMap(\.category))
        if !categories.isEmpty {
            let known = try await LibraryCategory.query(on: db)
                .filter(\.$id ~~ Array(categories))
                .filter(\.$workspace.$id == channel.$workspace.id)
                .all(\.$id)
            if let unknown = categories.subtracting(known).first {
                throw ServiceError.invalid(["slots": "\(unknown.uuidString) is not one of the library's categories."])
            }
        }
        channel.postingSlots = unique
        try await channel.save(on: db)
    }

    /// Removes the channel; posts keep their text and lose only this target and its own text.
    func disconnect(_ channel: Channel) async throws {
        let key = try channel.requireID().uuidString.lowercased()
        try await db.transaction { db in
            let postIDs = try await PostChannel.query(on: db).filter(\.$channel.$id == channel.requireID()).all(\.$post.$id)
            // The channel's own texts go with it; the posts keep everything else.
            for post in try await Post.query(on: db).filter(\.$id ~~ postIDs).all() {
                let kept = post.variants.filter { $0.key.lowercased() != key }
                guard kept.count != post.variants.count else { continue }
                post.variants = kept
                try await post.save(on: db)
            }
            // What was still to go there cannot go: said on the post, not dropped.
            for delivery in try await Delivery.query(on: db).filter(\.$channel.$id == channel.requireID()).all() where delivery.state.isPending {
                delivery.state = .failed
                delivery.error = "\(channel.handle) was disconnected before this was published."
                try await delivery.save(on: db)
                try await wiring.webhooks(on: db).emit(.deliveryFailed, for: delivery)
            }
            try await channel.delete(on: db)
        }
    }

    /// The credentials Trestle keeps for `channel`.
    func credentials(of channel: Channel) throws -> NetworkCredentials {
        try sealer.open(channel.sealedCredentials, for: channel.requireID())
    }

    /// An IANA zone such as `Europe/Berlin`, or nil to keep the default.
    /// The name a person gave the channel, trimmed; empty when none.
    static func ownName(_ name: String?) throws -> String {
        let ownName = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if ownName.count > FieldRules.maximumNameLength {
            throw ServiceError.invalid(["name": "Keep the channel's name to \(FieldRules.maximumNameLength) characters."])
        }
        return ownName
    }

    static func timezone(_ typed: String?) throws -> String? {
        guard let typed = typed?.trimmingCharacters(in: .whitespaces), !typed.isEmpty else { return nil }
        guard TimeZone(identifier: typed) != nil else {
            throw ServiceError.invalid(["timezone": "\(typed.prefix(60)) is not a time zone; use a name such as Europe/Berlin or America/New_York."])
        }
        return typed
    }
}
