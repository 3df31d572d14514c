import Foundation
import TextRules

/// The Site channel: Trestle's own public page and feeds, the one network that lives inside
/// Trestle. It is made with a name, not signed in to; publishing names the entry the page
/// shows; nothing is uploaded anywhere, and there is no one outside to hear from or count.
public struct SiteConnector: NetworkConnector {
    private let publisher: SitePublisher

    public init(publicURL: URL?) {
        publisher = SitePublisher(publicURL: publicURL)
    }

    public var network: Network { .site }

    public var connecting: Connecting {
        Connecting(
            title: "Add a Site",
            summary: "Your own public page with RSS, Atom and JSON feeds, served by Trestle: no account anywhere else. Its address is made from the name once and stays when you rename it.",
            fields: [ConnectionField(name: "name", label: "Name", placeholder: "Corner Bakery")],
            fieldsButton: "Add the Site", serverField: "name", secretField: "name"
        )
    }

    public func prepare(_ typed: [String: String]) throws -> (server: URL, credentials: NetworkCredentials) {
        throw ConnectionProblems(["network": "A Site channel is made, not signed in to."])
    }

    public func account(on server: URL, with credentials: NetworkCredentials) async throws -> NetworkAccount {
        throw NetworkError.configuration("A Site channel has no account elsewhere to check.")
    }

    public func refresh(_ account: PublishingAccount, app: OAuthApp?, now: Date) async throws -> NetworkCredentials? { nil }

    /// The page serves the stored file itself: there is nowhere to upload it to.
    public func upload(_ media: MediaToPublish, as account: PublishingAccount) async throws -> UploadedMedia {
        throw NetworkError.configuration("A Site serves its files from Trestle itself; nothing is uploaded.")
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        try await publisher.publish(part, thread: thread, as: account)
    }

    /// The page shows a delivery while it is published: taking it down is Trestle's own change.
    public func delete(_ post: PublishedPart, as account: PublishingAccount) async throws {}

    public var inbox: (any InboxReader)? { nil }
    public var metrics: (any MetricsReader)? { nil }
}
