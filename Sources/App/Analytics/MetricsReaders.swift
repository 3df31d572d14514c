import Foundation
import Networks
import TextRules

/// Which network's counts are read how, as the registry's connectors have them; a network with
/// no reader (the Site channel) has no counts to read.
struct MetricsReaders: Sendable {
    private let readers: [Network: any MetricsReader]

    init(_ connectors: Connectors) {
        readers = Dictionary(uniqueKeysWithValues: connectors.all.compactMap { connector in connector.metrics.map { (connector.network, $0) } })
    }

    func reader(for network: Network) -> (any MetricsReader)? { readers[network] }
    /// Networks whose channels' counts are read.
    var networks: [Network] { Array(readers.keys) }
}
