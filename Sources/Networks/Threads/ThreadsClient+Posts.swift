import Foundation

/// Publishing on Threads is two steps: a container is made for the post (its text, the
/// address Threads fetches an image or video from, the post it replies to), Threads readies
/// it, and publishing the container makes the post.
extension ThreadsClient: MetaContainerClient {
    var networkName: String { "Threads" }

    /// Makes a container of `fields` (`media_type`, `text`, `image_url`, …) for `user`;
    /// returns its id.
    func makeContainer(for user: String, _ fields: [(String, String)]) async throws -> String {
        let response = try await graph.post("\(try Self.checkedID(user))/threads", fields)
        return try Self.checkedID(Self.decode(Created.self, response).id)
    }

    /// A container's state as Threads answers it: `status`, and `error_message` when it failed.
    struct ContainerState: Decodable {
        var status: String?
        var error_message: String?

        var state: MetaContainerState { MetaContainerState(status: status, reason: error_message) }
    }

    func state(of container: String) async throws -> MetaContainerState {
        try Self.decode(ContainerState.self, try await graph.get(try Self.checkedID(container), [("fields", "status,error_message")])).state
    }

    /// Publishes a ready container; returns the post's id.
    func publish(container: String, for user: String) async throws -> String {
        let response = try await graph.post("\(try Self.checkedID(user))/threads_publish", [("creation_id", try Self.checkedID(container))])
        return try Self.checkedID(Self.decode(Created.self, response).id)
    }

    /// One post, or nil when Threads no longer has it.
    func published(_ id: String) async throws -> Post? {
        guard let response = try await graph.getIfPresent(try Self.checkedID(id), [("fields", Self.postFields)]) else { return nil }
        return try Self.decode(Post.self, response)
    }

    /// The account's own posts (or its replies) since `since`, newest first.
    func posts(of user: String, replies: Bool, since: Date?, limit: Int) async throws -> [Post] {
        var query = [("fields", Self.postFields), ("limit", String(limit))]
        if let since { query.append(("since", String(Int(since.timeIntervalSince1970)))) }
        let response = try await graph.get("\(try Self.checkedID(user))/\(replies ? "replies" : "threads")", query)
        return (try Self.decode(Page<Post>.self, response).data ?? []).prefix(limit).filter { (try? Self.checkedID($0.id)) != nil }
    }

    /// Takes a post off Threads; one already gone counts as deleted.
    func deletePost(_ id: String) async throws {
        _ = try await graph.delete(try Self.checkedID(id))
    }
}
