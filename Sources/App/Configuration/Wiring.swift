import Fluent
import Networks
import SQLKit
import TextRules
import Vapor

/// The one place the services are wired, for the server, the worker and the tests alike: the
/// clock they read, the network client and publishers they call, the sealer for secrets, the
/// metrics they count into.
/// Made by `configure`; a test replaces the clock to move time.
final class Wiring: @unchecked Sendable {
    private let lock = NSLock()
    private var _clock: any WallClock = SystemClock()
    let http: NetworkHTTPClient
    let sealer: CredentialSealer
    let publishers: Publishers
    /// Feeds are read through one fetcher per process, so its per-host gate is shared.
    let feedFetcher: FeedFetcher
    /// `TRESTLE_PUBLIC_URL`: where a WebSub hub can reach this installation.
    let publicURL: URL?
    /// What `/metrics` shows; one registry per application.
    let metrics = TrestleMetrics()
    /// The calendar's recently read months, forgotten when this process changes what they show.
    let calendar = CalendarCache()

    init(http: NetworkHTTPClient, sealer: CredentialSealer, publicURL: URL?) {
        self.http = http
        self.sealer = sealer
        self.publishers = Publishers(http: http, publicURL: publicURL)
        self.publicURL = publicURL
        self.feedFetcher = FeedFetcher(http: http, userAgent: "Trestle feed bridge" + (publicURL.map { " (+\($0.absoluteString))" } ?? ""))
    }

    var clock: any WallClock {
        get { lock.withLock { _clock } }
        set { lock.withLock { _clock = newValue } }
    }

    func jobs(on db: any Database) -> JobQueue { JobQueue(db: db as! any SQLDatabase, clock: clock, metrics: metrics) }
    func channels(on db: any Database) -> ChannelService { ChannelService(db: db, http: http, sealer: sealer, wiring: self) }
    func deliveries(on db: any Database) -> DeliveryService { DeliveryService(db: db, wiring: self) }
    func posts(on db: any Database) -> PostService { PostService(db: db, wiring: self) }
    func webhooks(on db: any Database) -> WebhookService { WebhookService(db: db, wiring: self) }
    func library(on db: any Database) -> LibraryService { LibraryService(db: db, wiring: self) }
    func libraryFiller(on db: any Database) -> LibraryFiller { LibraryFiller(db: db, wiring: self) }
    func feedBridge(on db: any Database) -> FeedBridgeService { FeedBridgeService(db: db, wiring: self) }
}

/// Which network publishes how: the app asks here and never switches on the network.
struct Publishers: Sendable {
    private let byNetwork: [Network: any PostPublisher]

    init(http: NetworkHTTPClient, publicURL: URL?) {
        byNetwork = [
            .mastodon: MastodonPublisher(http: http), .bluesky: BlueskyPublisher(http: http),
            .site: SitePublisher(publicURL: publicURL),
        ]
    }

    func publisher(for network: Network) -> (any PostPublisher)? { byNetwork[network] }
}

extension Application {
    private struct WiringKey: StorageKey { typealias Value = Wiring }

    var wiring: Wiring {
        guard let wiring = storage[WiringKey.self] else { fatalError("configure(_:settings:) must run first") }
        return wiring
    }

    func useWiring() {
        storage[WiringKey.self] = Wiring(http: networkHTTP, sealer: CredentialSealer(secretKey: settings.secretKey), publicURL: settings.publicURL)
    }
}

extension Request {
    var wiring: Wiring { application.wiring }
}
