import Foundation

/// The Graph API for Facebook Pages (`graph.facebook.com/v23.0`): with the person's user token,
/// the Pages they manage and each one's Page token; with a Page token, the Page's posts,
/// photos, videos, comments and counts.
public struct FacebookClient: Sendable {
    let graph: MetaGraphClient

    public init(apiBase: URL, accessToken: String, http: NetworkHTTPClient) {
        graph = MetaGraphClient(apiBase: apiBase, version: "v23.0", accessToken: accessToken, http: http, networkName: "Facebook")
    }

    static func checkedID(_ id: String) throws -> String { try MetaGraphClient.checkedID(id, network: "Facebook") }

    /// A post's or comment's id: digits, or two groups of digits joined by `_` (`page_post`).
    static func checkedPostID(_ id: String) throws -> String {
        let groups = id.split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(groups.count), groups.allSatisfy({ MetaContainers.checkedID(String($0)) != nil }) else {
            throw NetworkError.unexpectedResponse("“\(id.prefix(40))” is not a Facebook id.")
        }
        return id
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: NetworkHTTPClient.Response) throws -> T {
        try MetaGraphClient.decode(type, response, network: "Facebook")
    }

    /// A Page as its own token, or the person's, shows it.
    struct Page: Decodable {
        var id: String
        var name: String?
        var username: String?
        var access_token: String?
        var tasks: [String]?
        var followers_count: Double?
    }

    /// The Page this token is for.
    func page() async throws -> Page {
        let page = try Self.decode(Page.self, try await graph.get("me", [("fields", "id,name,username,followers_count")]))
        _ = try Self.checkedID(page.id)
        return page
    }

    /// The Pages the person manages, with each one's token and what they may do on it.
    func pages() async throws -> [Page] {
        let response = try await graph.get("me/accounts", [("fields", "id,name,username,access_token,tasks"), ("limit", "100")])
        return (try Self.decode(MetaGraphClient.Page<Page>.self, response).data ?? []).filter { (try? Self.checkedID($0.id)) != nil }
    }

    /// A post as the Page's feed shows it.
    struct Post: Decodable {
        struct Summary: Decodable { var total_count: Double? }
        struct Counted: Decodable { var summary: Summary? }
        struct Shares: Decodable { var count: Double? }
        var id: String
        var message: String?
        var created_time: String?
        var permalink_url: String?
        var reactions: Counted?
        var comments: Counted?
        var shares: Shares?
        var post_id: String?
    }

    func posts(of page: String, since: Date?, limit: Int) async throws -> [Post] {
        var query = [("fields", "id,message,created_time,permalink_url"), ("limit", String(limit))]
        if let since { query.append(("since", String(Int(since.timeIntervalSince1970)))) }
        let response = try await graph.get("\(try Self.checkedID(page))/posts", query)
        return (try Self.decode(MetaGraphClient.Page<Post>.self, response).data ?? []).prefix(limit).filter { (try? Self.checkedPostID($0.id)) != nil }
    }

    /// One object's fields, or nil when Facebook no longer has it.
    func post(_ id: String, fields: String) async throws -> Post? {
        guard let response = try await graph.getIfPresent(try Self.checkedPostID(id), [("fields", fields)]) else { return nil }
        return try Self.decode(Post.self, response)
    }

    static let countFields = "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares"

    /// A text post, or one with photos uploaded unpublished attached; returns its id.
    func publishPost(on page: String, message: String, photos: [String]) async throws -> String {
        var form = [("message", message)]
        for (index, photo) in photos.enumerated() { form.append(("attached_media[\(index)]", #"{"media_fbid":"\#(try Self.checkedID(photo))"}"#)) }
        return try Self.checkedPostID(Self.decode(MetaGraphClient.Created.self, try await graph.post("\(try Self.checkedID(page))/feed", form)).id)
    }

    /// A photo Facebook fetches from `url`: published as a post with its caption (returning
    /// the post's id), or unpublished to attach to one (returning the photo's).
    func photo(on page: String, url: String, caption: String?, altText: String, published: Bool) async throws -> String {
        var form = [("url", url), ("published", published ? "true" : "false")]
        if let caption { form.append(("caption", caption)) }
        if !altText.isEmpty { form.append(("alt_text_custom", altText)) }
        let created = try Self.decode(Post.self, try await graph.post("\(try Self.checkedID(page))/photos", form))
        return try Self.checkedPostID(published ? created.post_id ?? created.id : created.id)
    }

    /// A video Facebook fetches from `url`, published with its description; returns the video's id.
    func video(on page: String, url: String, description: String) async throws -> String {
        let response = try await graph.post("\(try Self.checkedID(page))/videos", [("file_url", url), ("description", description)])
        return try Self.checkedID(Self.decode(MetaGraphClient.Created.self, response).id)
    }

    /// A comment as the API shows it.
    struct Comment: Decodable {
        struct Author: Decodable { var id: String?; var name: String? }
        var id: String
        var message: String?
        var created_time: String?
        var from: Author?
        var parent: MetaGraphClient.Reference?
        var permalink_url: String?
    }

    static let commentFields = "id,message,created_time,from,parent,permalink_url"

    /// Every comment on a post, replies included, oldest first.
    func comments(on post: String, limit: Int) async throws -> [Comment] {
        let response = try await graph.get("\(try Self.checkedPostID(post))/comments",
                                           [("fields", Self.commentFields), ("filter", "stream"), ("order", "chronological"), ("limit", String(limit))])
        return Array((try Self.decode(MetaGraphClient.Page<Comment>.self, response).data ?? []).prefix(limit))
    }

    func comment(_ id: String) async throws -> Comment? {
        guard let response = try await graph.getIfPresent(try Self.checkedPostID(id), [("fields", Self.commentFields)]) else { return nil }
        return try Self.decode(Comment.self, response)
    }

    /// The Page's comment under a post or a comment; returns its id.
    func comment(_ text: String, on target: String) async throws -> String {
        let response = try await graph.post("\(try Self.checkedPostID(target))/comments", [("message", text)])
        return try Self.checkedPostID(Self.decode(MetaGraphClient.Created.self, response).id)
    }

    func delete(_ id: String) async throws {
        _ = try await graph.delete(try Self.checkedPostID(id))
    }
}
