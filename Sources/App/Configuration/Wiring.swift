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
    private var _smtp: SMTPSettings?
    private var _oauthApps: [String: OAuthApp] = [:]
    let http: NetworkHTTPClient
    let sealer: CredentialSealer
    private var _connectors: Connectors
    /// Feeds are read through one fetcher per process, so its per-host gate is shared.
    let feedFetcher: FeedFetcher
    /// `TRESTLE_PUBLIC_URL`: where a WebSub hub can reach this installation.
    let publicURL: URL?
    /// Signed addresses of single files for networks that fetch media themselves; nil without
    /// a public address.
    let mediaLinks: SignedMediaLinks?
    /// What `/metrics` shows; one registry per application.
    let metrics = TrestleMetrics()
    /// The calendar's recently read months, forgotten when this process changes what they show.
    let calendar = CalendarCache()
    /// A test's own inbox readers, in place of the connectors'.
    private var _inboxReaders: InboxReaders?
    /// The connectors' inbox and counts readers, made once each time the connectors are set.
    private var _connectorInboxReaders: InboxReaders
    private var _metricsReaders: MetricsReaders
    /// Bluesky sessions, shared by publishing and the inbox so neither logs in for the other.
    let blueskySessions: BlueskySessions
    /// Tells open inbox pages in this process that something changed.
    let inbox = InboxSignal()
    /// The inbox pages open on this process, each with its event stream.
    let inboxStreams = InboxEventStreams()
    /// The navigation's unread counts, read again after a change or a few seconds.
    let inboxUnread = InboxUnreadCounts()
    /// Short links read lately by the redirect.
    let linkCache = LinkCache()
    /// Clicks waiting to be written, in batches.
    let clicks = ClickRecorder()
    let visitorSalts = VisitorSalts()
    /// `TRESTLE_INBOX_POLL_SECONDS`: how often each channel's notifications are read.
    let inboxPollSeconds: Int

    init(http: NetworkHTTPClient, sealer: CredentialSealer, publicURL: URL?, inboxPollSeconds: Int = 60, networkBaseURLs: [String: URL] = [:]) {
        self.http = http
        let blueskySessions = BlueskySessions()
        self.blueskySessions = blueskySessions
        let connectors = Connectors(http: http, publicURL: publicURL, blueskySessions: blueskySessions, baseURLs: networkBaseURLs)
        self._connectors = connectors
        self._connectorInboxReaders = InboxReaders(connectors)
        self._metricsReaders = MetricsReaders(connectors)
        self.inboxPollSeconds = inboxPollSeconds
        self.sealer = sealer
        self.publicURL = publicURL
        self.mediaLinks = publicURL.map { SignedMediaLinks(secretKey: sealer.secretKey, publicURL: $0) }
        self.feedFetcher = FeedFetcher(http: http, userAgent: "Trestle feed bridge" + (publicURL.map { " (+\($0.absoluteString))" } ?? ""))
    }

    var clock: any WallClock {
        get { lock.withLock { _clock } }
        set { lock.withLock { _clock = newValue } }
    }

    /// `TRESTLE_SMTP_URL`: where notifications are emailed through; nil, they stay in Trestle.
    /// A test points it at its loopback server.
    var smtp: SMTPSettings? {
        get { lock.withLock { _smtp } }
        set { lock.withLock { _smtp = newValue } }
    }

    /// Which network is connected, published to, heard and counted how; a test adds a
    /// network of its own here.
    var connectors: Connectors {
        get { lock.withLock { _connectors } }
        set {
            lock.withLock {
                _connectors = newValue
                _connectorInboxReaders = InboxReaders(newValue)
                _metricsReaders = MetricsReaders(newValue)
            }
        }
    }

    /// The operator's OAuth apps, by network setting name (`X`, `LINKEDIN`…); a test sets its own.
    var oauthApps: [String: OAuthApp] {
        get { lock.withLock { _oauthApps } }
        set { lock.withLock { _oauthApps = newValue } }
    }

    /// Which network's inbox is read how: the connectors' readers, unless a test put a reader
    /// of its own here.
    var inboxReaders: InboxReaders {
        get { lock.withLock { _inboxReaders ?? _connectorInboxReaders } }
        set { lock.withLock { _inboxReaders = newValue } }
    }

    /// Which network's own counts (likes, reposts, followers…) are read how.
    var metricsReaders: MetricsReaders { lock.withLock { _metricsReaders } }

    func jobs(on db: any Database) -> JobQueue { JobQueue(db: db as! any SQLDatabase, clock: clock, metrics: metrics) }
    func channels(on db: any Database) -> ChannelService { ChannelService(db: db, wiring: self) }
    func deliveries(on db: any Database) -> DeliveryService { DeliveryService(db: db, wiring: self) }
    func posts(on db: any Database) -> PostService { PostService(db: db, wiring: self) }
    func webhooks(on db: any Database) -> WebhookService { WebhookService(db: db, wiring: self) }
    func library(on db: any Database) -> LibraryService { LibraryService(db: db, wiring: self) }
    func libraryFiller(on db: any Database) -> LibraryFiller { LibraryFiller(db: db, wiring: self) }
    func feedBridge(on db: any Database) -> FeedBridgeService { FeedBridgeService(db: db, wiring: self) }
    func inbox(on db: any Database) -> InboxService { InboxService(db: db, wiring: self) }
    func ideas(on db: any Database) -> IdeaBoard { IdeaBoard(db: db, wiring: self) }
    func activity(on db: any Database) -> ActivityLog { ActivityLog(db: db, clock: clock, mailJobs: smtp == nil ? nil : jobs(on: db)) }
    func mailer(on db: any Database) -> NotificationMailer { NotificationMailer(db: db, wiring: self) }
    func comments(on db: any Database) -> CommentService { CommentService(db: db, wiring: self) }
    func notifications(on db: any Database) -> Notifications { Notifications(db: db, clock: clock) }
    func links(on db: any Database) -> LinkService { LinkService(db: db, wiring: self) }
    func postMetrics(on db: any Database) -> MetricsService { MetricsService(db: db, wiring: self) }
}

extension Application {
    private struct WiringKey: StorageKey { typealias Value = Wiring }

    var wiring: Wiring {
        guard let wiring = storage[WiringKey.self] else { fatalError("configure(_:settings:) must run first") }
        return wiring
    }

    func useWiring() {
        let wiring = Wiring(http: networkHTTP, sealer: CredentialSealer(secretKey: settings.secretKey), publicURL: settings.publicURL, inboxPollSeconds: settings.inboxPollSeconds,
                            networkBaseURLs: settings.networkBaseURLs)
        wiring.smtp = settings.smtp
        wiring.oauthApps = settings.oauthApps
        storage[WiringKey.self] = wiring
        // Open inbox pages' event streams end before the server waits for responses to finish.
        lifecycle.use(InboxEventStreams.Shutdown())
    }
}

extension Request {
    var wiring: Wiring { application.wiring }
}
