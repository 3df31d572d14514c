import Foundation
import Networks
import TextRules

/// Which network's counts are read how. The app asks here and never switches on the network;
/// a network with no reader (the Site channel) has no counts to read.
struct MetricsReaders: Sendable {
    private let readers: [Network: any MetricsReader]

    init(http: NetworkHTTPClient, blueskySessions: BlueskySessions) {
        readers = [.mastodon: MastodonMetricsReader(http: http), .bluesky: BlueskyMetricsReader(http: http, sessions: blueskySessions)]
    }

    func reader(for network: Network) -> (any MetricsReader)? { readers[network] }
    /// Networks whose channels' counts are read.
    var networks: [Network] { Array(readers.keys) }
}
