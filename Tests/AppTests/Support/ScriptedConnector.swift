@testable import App
import Foundation
import Networks
import TextRules

/// A network as a test writes it: connected with one pasted token (refused unless it is
/// `acceptedToken`, when one is given), its account always the bakery's, and publishing left to
/// the test's `publish`.
final class ScriptedConnector: NetworkConnector {
    let network: Network
    private let acceptedToken: String?
    private let publishing: @Sendable (PartToPublish) async throws -> PublishedPart

    init(_ network: Network, acceptedToken: String? = nil, publish: @escaping @Sendable (PartToPublish) async throws -> PublishedPart) {
        self.network = network
        self.acceptedToken = acceptedToken
        publishing = publish
    }

    var connecting: Connecting {
        Connecting(title: "Connect a \(network.displayName) account", summary: "Paste the token.",
                   fields: [ConnectionField(name: "token", label: "\(network.displayName) token", isSecret: true)],
                   fieldsButton: "Connect \(network.displayName)", serverField: "token", secretField: "token")
    }

    func prepare(_ typed: [String: String]) throws -> (server: URL, credentials: NetworkCredentials) {
        guard let token = typed["token"], !token.isEmpty else { throw ConnectionProblems(["token": "Paste the token \(network.displayName) gave you."]) }
        return (URL(string: "https://\(network.rawValue).example")!, NetworkCredentials(accessToken: token))
    }

    func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        if let acceptedToken, credentials.accessToken != acceptedToken { throw NetworkError.unauthorized("\(network.displayName) refused the token.") }
        return NetworkAccount(remoteID: "1789", handle: "@cornerbakery", displayName: "Corner Bakery", credentials: credentials)
    }

    func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? { nil }
    func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia { UploadedMedia(id: media.filename) }

    func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        (try await publishing(part), nil)
    }

    func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {}
    var inbox: (any InboxReader)? { nil }
    var metrics: (any MetricsReader)? { nil }
}
