import Foundation
import Networks
import TextRules

/// The registry of networks Trestle connects: one line per network, each a connector from its
/// folder under `Networks/`. Everything in the app that calls a network — connecting,
/// publishing, the inbox, counts, the Channels page — asks here and never switches on the
/// network; a network absent here cannot be connected yet.
struct Connectors: Sendable {
    private let byNetwork: [Network: any NetworkConnector]

    /// `baseURLs`: where an OAuth network is reached instead of at itself, by its setting's
    /// name (`TRESTLE_<NETWORK>_BASE_URL`).
    init(http: NetworkHTTPClient, publicURL: URL?, blueskySessions: BlueskySessions, baseURLs: [String: URL] = [:]) {
        self.init([
            MastodonConnector(http: http),
            BlueskyConnector(http: http, sessions: blueskySessions),
            SiteConnector(publicURL: publicURL),
            XConnector(http: http, provider: baseURLs["X"].map(XConnector.provider(at:)) ?? XConnector.provider),
            ThreadsConnector(http: http, provider: baseURLs["THREADS"].map(ThreadsConnector.provider(at:)) ?? ThreadsConnector.provider),
            InstagramConnector(http: http, provider: baseURLs["INSTAGRAM"].map(InstagramConnector.provider(at:)) ?? InstagramConnector.provider),
            FacebookConnector(http: http, provider: baseURLs["FACEBOOK"].map(FacebookConnector.provider(at:)) ?? FacebookConnector.provider),
            LinkedInConnector(http: http, provider: baseURLs["LINKEDIN"].map(LinkedInConnector.provider(at:)) ?? LinkedInConnector.provider),
        ])
    }

    init(_ connectors: [any NetworkConnector]) {
        byNetwork = Dictionary(connectors.map { ($0.network, $0) }, uniquingKeysWith: { _, last in last })
    }

    func connector(for network: Network) -> (any NetworkConnector)? { byNetwork[network] }

    /// These connectors and `connector`, which replaces any of its network.
    func adding(_ connector: any NetworkConnector) -> Connectors {
        Connectors(Array(byNetwork.values) + [connector])
    }

    /// The connectors in the order the Channels page shows them.
    var all: [any NetworkConnector] { Network.allCases.compactMap { byNetwork[$0] } }

    /// The networks with no connector yet, for the page to say so.
    var missing: [Network] { Network.allCases.filter { byNetwork[$0] == nil } }
}
