import Foundation

/// A Mastodon account: `verify_credentials` with its token, and the instance's own limits.
public struct MastodonAccountVerifier: AccountVerifier {
    private let http: NetworkHTTPClient

    public init(http: NetworkHTTPClient) {
        self.http = http
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        guard let token = credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this account.")
        }
        let client = MastodonClient(instanceURL: server, http: http)
        let account = try await client.verifyCredentials(accessToken: token)
        let instance = try await client.instance()
        // The handle's domain is the instance's own, which may differ from its web address.
        let domain = instance.domain ?? server.host ?? ""
        return NetworkAccount(
            remoteID: account.id, handle: "@\(account.username)@\(domain)",
            displayName: account.displayName.isEmpty ? account.username : account.displayName,
            credentials: credentials, textLimit: instance.maxCharacters, charactersReservedPerURL: instance.charactersReservedPerURL
        )
    }
}
