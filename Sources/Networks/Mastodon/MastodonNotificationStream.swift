import Foundation
import NIOCore

/// Mastodon's streaming API as server-sent events: `GET /api/v1/streaming/user/notification`
/// on the instance's streaming address, one `notification` event per notification as it
/// happens. Replies, mentions, quotes and direct messages come out as they arrive; counts are
/// left to polling, which also reads whatever a dropped connection missed.
public struct MastodonNotificationStream: InboxStream {
    /// Silence this long, not even the `:thump` Mastodon sends every few seconds, means the
    /// connection is dead.
    public static let idleTimeout: Duration = .seconds(60)
    /// Messages waiting for the caller to keep them. Beyond this, newer ones are dropped: the
    /// next poll reads them from the cursor, so a flood cannot grow memory without end.
    static let mostWaiting = 256

    private let http: NetworkHTTPClient
    private let idleTimeout: Duration

    public init(http: NetworkHTTPClient, idleTimeout: Duration = MastodonNotificationStream.idleTimeout) {
        self.http = http
        self.idleTimeout = idleTimeout
    }

    public func messages(as account: PublishingAccount) -> AsyncThrowingStream<InboxMessage, any Error> {
        let (messages, continuation) = AsyncThrowingStream<InboxMessage, any Error>.makeStream(bufferingPolicy: .bufferingOldest(Self.mostWaiting))
        let listening = Task {
            do {
                try await listen(as: account) { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        // The caller stopped listening: the connection is closed.
        continuation.onTermination = { _ in listening.cancel() }
        return messages
    }

    private func listen(as account: PublishingAccount, heard: (InboxMessage) -> Void) async throws {
        guard let token = account.credentials.accessToken, !token.isEmpty else {
            throw NetworkError.unauthorized("Trestle holds no access token for this account.")
        }
        let client = MastodonClient(instanceURL: account.server, http: http)
        let instance = try await client.instance()
        let domain = instance.domain ?? account.server.host ?? ""
        let url = client.streamingBase(of: instance).appendingPathComponent("api/v1/streaming/user/notification")
        let host = url.host ?? ""
        var parser = ServerSentEventParser()
        try await http.stream(
            url, headers: ["Authorization": "Bearer \(token)", "Accept": "text/event-stream"], idleTimeout: idleTimeout,
            opened: { try MastodonClient.check($0, host: host) },
            received: { piece in
                for event in try parser.feed(piece.readableBytesView) where event.name == "notification" {
                    let notification = try Self.notification(in: event, host: host)
                    if case let .message(message)? = MastodonInboxReader.heard(notification, by: account.accountID, domain: domain) {
                        heard(message)
                    }
                }
            }
        )
    }

    /// The notification an event carries. One that is not a notification ends the stream with
    /// the reason, and the poll that follows reads what came from the cursor.
    private static func notification(in event: ServerSentEvent, host: String) throws -> MastodonNotification {
        do {
            return try JSONDecoder().decode(MastodonNotification.self, from: Data(event.data.utf8))
        } catch {
            throw NetworkError.unexpectedResponse("\(host) streamed a notification that is not the Mastodon API's.")
        }
    }
}
