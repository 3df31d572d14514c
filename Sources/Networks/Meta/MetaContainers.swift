import Foundation

/// A container's state as Threads (`status`) and Instagram (`status_code`) report it:
/// `IN_PROGRESS`, `FINISHED`, `PUBLISHED`, `ERROR` (with why) or `EXPIRED` (not published
/// within a day).
struct MetaContainerState: Sendable {
    var status: String?
    var reason: String?
}

/// A network that publishes through containers (Threads, Instagram): what the shared flow asks.
protocol MetaContainerClient: Sendable {
    /// The network's name, in what is said to people.
    var networkName: String { get }
    func state(of container: String) async throws -> MetaContainerState
    /// Publishes a ready container; returns the post's id.
    func publish(container: String, for user: String) async throws -> String
}

/// The flow Threads and Instagram share: a post is a container the network readies — fetching
/// its media from Trestle's signed address — then publishes. The container is kept before it
/// is published, so an attempt that ends without an answer resumes from it: published already
/// (found among the account's posts, never made twice), ready (published now) or expired or
/// failed (made again).
struct MetaContainers: Sendable {
    /// How often and how many times a container's state is asked while the network readies
    /// it; past that the attempt ends and the next resumes from the kept container.
    let readyCheck: (interval: Duration, times: Int)

    enum Published {
        /// Published now: the post's id.
        case new(String)
        /// Published by an earlier attempt whose answer was lost, and found.
        case earlier(PublishedPart)
    }

    /// Publishes `part` for `user`: resumes from the container an earlier attempt kept, or
    /// makes one with `make` and keeps it; `findEarlier` looks for the post of a container the
    /// network says is published.
    func publish(_ part: PartToPublish, for user: String, client: some MetaContainerClient,
                 make: () async throws -> String, findEarlier: () async throws -> PublishedPart?) async throws -> Published
    {
        var container = part.checkpoint.flatMap(Self.checkedID)
        if let kept = container {
            switch try await client.state(of: kept).status {
            case "PUBLISHED":
                guard let found = try await findEarlier() else {
                    // The network says it published the container; its post is not listed yet.
                    throw NetworkError.rejected(status: 503, message: "\(client.networkName) published the post but does not list it yet; Trestle looks again.")
                }
                return .earlier(found)
            case "EXPIRED", "ERROR":
                container = nil
            default:
                break
            }
        }
        if container == nil {
            let made = try await make()
            try await part.keep(made)
            container = made
        }
        guard let container else { throw NetworkError.unexpectedResponse("\(client.networkName) made no container.") }
        try await ready(container, client: client)
        return .new(try await client.publish(container: container, for: user))
    }

    /// Waits while the network readies the container; its failure is said in its words.
    func ready(_ container: String, client: some MetaContainerClient) async throws {
        for check in 0..<readyCheck.times {
            let state = try await client.state(of: container)
            switch state.status {
            case "FINISHED":
                return
            case "ERROR":
                let reason = state.reason.map { String($0.prefix(200)) } ?? "UNKNOWN"
                throw NetworkError.rejected(status: 422, message: "\(client.networkName) could not use the post's media (\(reason)).")
            case "EXPIRED", "PUBLISHED":
                // Made again, or found, by the next attempt.
                throw NetworkError.rejected(status: 503, message: "\(client.networkName)'s container for the post is \(state.status == "EXPIRED" ? "expired" : "already used").")
            default:
                if check + 1 < readyCheck.times { try await Task.sleep(for: readyCheck.interval) }
            }
        }
        throw NetworkError.rejected(status: 503, message: "\(client.networkName) was still readying the post's media.")
    }

    /// Where the network fetches an image or video: Trestle's signed address for it.
    static func address(of media: MediaToPublish, network: String) throws -> String {
        guard let address = media.publicURL else {
            throw NetworkError.configuration("\(network) fetches a post's images and videos from Trestle's own address, and this Trestle has none: the operator sets TRESTLE_PUBLIC_URL.")
        }
        return address.absoluteString
    }

    /// An id a Meta network gave: digits only, so it can go in a path.
    static func checkedID(_ id: String) -> String? {
        !id.isEmpty && id.count <= 40 && id.allSatisfy { $0.isASCII && $0.isNumber } ? id : nil
    }
}
