import Foundation
import Networks
import TextRules

/// What a person gives to connect an account where the network takes credentials directly,
/// and how each field is named back to them when something is wrong with it.
enum ChannelConnection: Sendable {
    case mastodon(instanceURL: String, accessToken: String)
    case bluesky(service: String?, identifier: String, appPassword: String)
    /// Trestle's own public page and feeds: nothing to sign in to, only a name.
    case site

    /// The networks whose accounts connect by OAuth with the network's own app, not offered yet.
    static let oauthNetworks: [Network] = [.x, .linkedin, .facebook, .instagram, .threads]

    /// The connection a request asks for, from loose fields (the API's body or a form).
    init(network name: String, instanceURL: String?, accessToken: String?, service: String?, identifier: String?, appPassword: String?) throws {
        switch Network(rawValue: name.lowercased()) {
        case .mastodon:
            self = .mastodon(instanceURL: instanceURL ?? "", accessToken: accessToken ?? "")
        case .bluesky:
            self = .bluesky(service: service, identifier: identifier ?? "", appPassword: appPassword ?? "")
        case .site:
            // A site takes only a name (and a zone): another network's field is a mistake to say.
            let foreign = ["instanceURL": instanceURL, "accessToken": accessToken, "service": service, "identifier": identifier, "appPassword": appPassword]
                .filter { $0.value != nil }.keys.sorted()
            guard foreign.isEmpty else {
                throw ServiceError.invalid(Dictionary(uniqueKeysWithValues: foreign.map { ($0, "A Site channel takes only a name and a time zone.") }),
                                           message: "The site was not made.")
            }
            self = .site
        case let network? where Self.oauthNetworks.contains(network):
            throw ServiceError.invalid(["network": "\(network.displayName) accounts connect by signing in to \(network.displayName) (OAuth), which Trestle does not offer yet. Mastodon and Bluesky connect now."])
        default:
            throw ServiceError.invalid(["network": "Unknown network \"\(name.prefix(40))\". Connect mastodon, bluesky or site."])
        }
    }

    var network: Network {
        switch self {
        case .mastodon: .mastodon
        case .bluesky: .bluesky
        case .site: .site
        }
    }

    /// The field naming the server, and the one holding the secret the network may refuse.
    var serverField: String {
        switch self {
        case .mastodon: "instanceURL"
        case .bluesky: "service"
        case .site: "name"
        }
    }

    var secretField: String {
        switch self {
        case .mastodon: "accessToken"
        case .bluesky: "appPassword"
        case .site: "name"
        }
    }

    /// The server and credentials as typed, tidied; or field errors saying what is missing.
    func prepared() throws -> (server: URL, credentials: NetworkCredentials) {
        var problems: [String: String] = [:]
        let result: (URL?, NetworkCredentials)
        switch self {
        case let .mastodon(instanceURL, accessToken):
            let token = accessToken.trimmingCharacters(in: .whitespacesAndNewlines)
            if instanceURL.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems["instanceURL"] = "Type your instance's address, such as mastodon.social." }
            if token.isEmpty { problems["accessToken"] = "Paste an access token from your instance: Preferences → Development → New application." }
            result = (problems.isEmpty ? try server { try MastodonClient.instanceURL(from: instanceURL) } : nil, NetworkCredentials(accessToken: token))
        case let .bluesky(service, typedIdentifier, appPassword):
            var identifier = typedIdentifier.trimmingCharacters(in: .whitespacesAndNewlines)
            if identifier.hasPrefix("@") { identifier.removeFirst() }
            let password = appPassword.trimmingCharacters(in: .whitespacesAndNewlines)
            if identifier.isEmpty { problems["identifier"] = "Type your handle, such as shop.bsky.social." }
            if password.isEmpty { problems["appPassword"] = "Paste an app password: Bluesky → Settings → Privacy and security → App passwords." }
            result = (problems.isEmpty ? try server { try BlueskyClient.serviceURL(from: service) } : nil, NetworkCredentials(identifier: identifier, appPassword: password))
        case .site:
            // A site has no server or credentials; `ChannelService.connectSite` makes it.
            throw ServiceError.invalid(["network": "A Site channel is made, not signed in to."])
        }
        guard problems.isEmpty, let server = result.0 else { throw ServiceError.invalid(problems, message: "The channel was not connected.") }
        return (server, result.1)
    }

    private func server(_ parse: () throws -> URL) throws -> URL {
        do {
            return try parse()
        } catch let error as NetworkError {
            throw ServiceError.network(error, field: serverField, networkName: network.displayName)
        }
    }
}
