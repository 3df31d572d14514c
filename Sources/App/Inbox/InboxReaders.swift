import Foundation
import Networks
import TextRules

/// Which network is heard how: a reader that polls, and a stream that pushes where the network
/// has one, as the registry's connectors have them (or as a test puts them).
struct InboxReaders: Sendable {
    private let readers: [Network: any InboxReader]
    private let streams: [Network: any InboxStream]

    init(_ connectors: Connectors) {
        readers = Dictionary(uniqueKeysWithValues: connectors.all.compactMap { connector in connector.inbox.map { (connector.network, $0) } })
        streams = Dictionary(uniqueKeysWithValues: connectors.all.compactMap { connector in connector.inboxStream.map { (connector.network, $0) } })
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
