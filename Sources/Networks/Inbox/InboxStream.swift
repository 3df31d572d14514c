import Foundation

/// A network that pushes notifications as they happen (Mastodon's streaming API), so a reply
/// reaches the inbox within seconds; polling with `InboxReader` stays the way nothing is missed.
public protocol InboxStream: Sendable {
    /// Messages as they arrive, until the connection ends (the sequence finishes) or fails
    /// (it throws a `NetworkError`). Counts are left to polling.
    func messages(as account: PublishingAccount) -> AsyncThrowingStream<InboxMessage, any Error>
}
