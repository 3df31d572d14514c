import Foundation

/// Publishing to a Site channel, Trestle's own public page and feeds. Nothing leaves Trestle:
/// the page shows a delivery once it is published, so publishing only names the entry. Its id is
/// the delivery's idempotency key — fixed when the delivery was made, so a resend after a crash
/// names the same entry, and stable forever — and its address is the entry's own page under the
/// site's (`account.server`, such as `/s/bakery`), made absolute with the public address when
/// Trestle knows it.
public struct SitePublisher: PostPublisher {
    /// `TRESTLE_PUBLIC_URL`; without it the entry's address is a path on whichever host serves Trestle.
    public var publicURL: URL?

    public init(publicURL: URL?) {
        self.publicURL = publicURL
    }

    public func publish(_ part: PartToPublish, thread: (root: PublishedPart, parent: PublishedPart)?, as account: PublishingAccount) async throws
        -> (part: PublishedPart, credentials: NetworkCredentials?)
    {
        let entryID = Self.entryID(fromIdempotencyKey: part.idempotencyKey)
        var base = publicURL?.absoluteString ?? ""
        if base.hasSuffix("/") { base.removeLast() }
        let page = "\(base)\(account.server.absoluteString)/\(entryID)"
        // A thread is one entry; its later parts are anchors on the entry's page.
        let published = part.index == 0
            ? PublishedPart(remoteID: entryID, url: page)
            : PublishedPart(remoteID: "\(entryID)/\(part.index)", url: "\(page)#part-\(part.index + 1)")
        return (published, nil)
    }

    /// The entry's id: the delivery's key, without the `/<part>` each part's key ends with.
    public static func entryID(fromIdempotencyKey key: String) -> String {
        guard let slash = key.lastIndex(of: "/") else { return key }
        return String(key[..<slash])
    }
}
