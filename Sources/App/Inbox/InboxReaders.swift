import Foundation
import Networks
import TextRules

/// Which network is heard how: a reader that polls, and a stream that pushes where the network
/// has one. The app asks here and never switches on the network.
struct InboxReaders: Sendable {
    private let readers: [Network: any InboxReader]
    private let streams: [Network: any InboxStream]

    init(http: NetworkHTTPClient, blueskySessions: BlueskySessions) {
        readers = [.mastodon: MastodonInboxReader(http: http), .bluesky: BlueskyInboxReader(http: http, sessions: blueskySessions)]
        streams = [.mastodon: MastodonNotificationStream(http: http)]
    }

    /// Given readers and streams, for tests.
    init(readers: [Network: any InboxReader], streams: [Network: any InboxStream] = [:]) {
        self.readers = readers
        self.streams = streams
    }

    func reader(for network: Network) -> (any InboxReader)? { readers[network] }
    func stream(for network: Network) -> (any InboxStream)? { streams[network] }
    /// Networks whose channels have an inbox.
    var networks: [Network] { Array(readers.keys) }
}
