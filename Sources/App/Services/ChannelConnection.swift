import Foundation
import Networks
import TextRules

/// What a person gives to connect an account: the network, and the fields its connector asks
/// for, as typed. Which fields a network takes is the connector's to say.
struct ChannelConnection: Sendable {
    let connector: any NetworkConnector
    /// The connector's fields as typed (never the workspace's own name or zone for the channel).
    let typed: [String: String]

    var network: Network { connector.network }

    /// Fields every connection may carry beside the network's own.
    static let commonFields: Set<String> = ["network", "name", "timezone"]

    /// The connection a request asks for, from its loose fields (the API's body or a form); field
    /// errors name a network that cannot be connected this way, or a field it does not take.
    init(network name: String, fields: [String: String], connectors: Connectors) throws {
        guard let network = Network(rawValue: name.lowercased()) else {
            let offered = connectors.all.map(\.network.rawValue).joined(separator: ", ")
            throw ServiceError.invalid(["network": "Unknown network \"\(name.prefix(40))\". Connect one of: \(offered)."])
        }
        guard let connector = connectors.connector(for: network) else {
            throw ServiceError.invalid(["network": "Trestle does not connect \(network.displayName) accounts yet."])
        }
        let connecting = connector.connecting
        if connecting.fields.isEmpty, connecting.signIn != nil {
            throw ServiceError.invalid(["network": "\(network.displayName) accounts connect by signing in to \(network.displayName): use Connect on the Channels page."])
        }
        let own = Set(connecting.fields.map(\.name))
        let foreign = fields.keys.filter { !own.contains($0) && !Self.commonFields.contains($0) }.sorted()
        guard foreign.isEmpty else {
            let takes = connecting.fields.map(\.label).joined(separator: ", ").lowercased()
            throw ServiceError.invalid(Dictionary(uniqueKeysWithValues: foreign.map { ($0, "\(network.displayName) takes only \(takes) and a time zone.") }),
                                       message: "The channel was not connected.")
        }
        self.connector = connector
        typed = fields.filter { own.contains($0.key) }
    }

    /// The server and credentials as typed, tidied; or field errors saying what is missing.
    func prepared() throws -> (server: URL, credentials: NetworkCredentials) {
        do {
            return try connector.prepare(typed)
        } catch let problems as ConnectionProblems {
            throw ServiceError.invalid(problems.fields, message: "The channel was not connected.")
        } catch let error as NetworkError {
            throw ServiceError.network(error, field: connector.connecting.serverField, networkName: network.displayName)
        }
    }
}
