import Foundation

/// Threads' Graph API (`graph.threads.net/v1.0`), as one account calls it with its long-lived
/// user token.
public struct ThreadsClient: Sendable {
    let graph: MetaGraphClient

    public init(apiBase: URL, accessToken: String, http: NetworkHTTPClient) {
        graph = MetaGraphClient(apiBase: apiBase, version: "v1.0", accessToken: accessToken, http: http, networkName: "Threads")
    }

    /// An id Threads gave (a user, a container, a post): digits only, so it can go in a path.
    static func checkedID(_ id: String) throws -> String { try MetaGraphClient.checkedID(id, network: "Threads") }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        try MetaGraphClient.decode(type, response, network: "Threads")
    }

    typealias Created = MetaGraphClient.Created
    typealias Reference = MetaGraphClient.Reference
    typealias Page = MetaGraphClient.Page
    typealias Insight = MetaGraphClient.Insight

    /// A post as the API shows it (the fields Trestle asks for).
    struct Post: Decodable {
        var id: String
        var text: String?
        var username: String?
        var permalink: String?
        var timestamp: String?
        var is_reply: Bool?
        var replied_to: Reference?
        var root_post: Reference?
        var is_reply_owned_by_me: Bool?
    }

    static let postFields = "id,text,username,permalink,timestamp,is_reply,replied_to,root_post,is_reply_owned_by_me"
}
