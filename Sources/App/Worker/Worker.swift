import Foundation
import Vapor

/// The background worker. Its heartbeat runs on a task of its own, so slow work (a network that
/// takes its time answering) never makes `/healthz` say the worker stopped. Beside it: the job
/// runner, which publishes deliveries, calls webhooks and reads what the networks count; and upkeep, checking channels'
/// credentials once a day, filling the library's slots for the coming week and clearing what
/// has expired. Runs inside `serve` (unless
/// `--no-worker`) or as `trestle worker`; any number of workers share the work through the job
/// queue.
actor Worker {
    /// Deliveries published at once by one worker.
    static let publishingConcurrency = 8
    /// How soon an idle claim loop looks again: a bound on how late a due post can go out.
    static let jobPollInterval: Duration = .milliseconds(250)
    /// Webhook calls made at once by one worker.
    static let webhookConcurrency = 4
    /// Feeds polled at once by one worker; one request per host at a time all the same.
    static let feedPollConcurrency = 16
    /// Channels' notifications read at once by one worker.
    static let inboxPollConcurrency = 16
    /// Streams (Mastodon's push of notifications) one worker holds open at once; a worker
    /// with more channels than this leaves the rest to other workers, and to polling.
    static let inboxStreamConcurrency = 256
    /// Channels' counts read at once by one worker: analytics can wait a little, and the
    /// networks are asked politely.
    static let metricsConcurrency = 4

    let node: String
    private let application: Application
    private var tasks: [Task<Void, Never>] = []
    private var jobs: JobRunner?

    init(application: Application) {
        self.application = application
        self.node = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    func start() {
        guard tasks.isEmpty else { return }
        let logger = Logger(label: "trestle.worker")
        logger.info("Worker started", metadata: ["node": .string(node)])
        tasks = [
            Task { [application, node] in await Self.beat(application, node: node, logger: logger) },
            Task { [application] in await Self.upkeep(application, logger: logger) },
        ]
        let application = self.application
        let runner = JobRunner(queue: application.wiring.jobs(on: application.db), node: node, kinds: [
            JobKind(name: DeliveryService.publishJob, concurrency: Self.publishingConcurrency, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.deliveries(on: application.db).publish(job: job)
            },
            JobKind(name: WebhookService.job, concurrency: Self.webhookConcurrency, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.webhooks(on: application.db).send(job: job)
            },
            JobKind(name: FeedBridgeService.pollJob, concurrency: Self.feedPollConcurrency, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.feedBridge(on: application.db).poll(job: job)
            },
            JobKind(name: InboxService.pollJob, concurrency: Self.inboxPollConcurrency, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.inbox(on: application.db).poll(job: job)
            },
            JobKind(name: InboxService.streamJob, concurrency: Self.inboxStreamConcurrency, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.inbox(on: application.db).stream(job: job)
            },
            JobKind(name: MetricsService.refreshJob, concurrency: Self.metricsConcurrency, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.postMetrics(on: application.db).refresh(job: job)
            },
            JobKind(name: FeedBridgeService.unsubscribeJob, concurrency: 2, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.feedBridge(on: application.db).endWebSub(job: job)
            },
            JobKind(name: NotificationMailer.job, concurrency: 2, lease: TimeInterval(application.settings.jobLease)) { job in
                try await application.wiring.mailer(on: application.db).send(job: job)
            },
        ], pollInterval: Self.jobPollInterval)
        jobs = runner
        Task { await runner.start() }
    }

    func stop() async {
        tasks.forEach { $0.cancel() }
        for task in tasks { await task.value }
        tasks = []
        await jobs?.stop()
        jobs = nil
    }

    private static func beat(_ application: Application, node: String, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await WorkerHeartbeatService(db: application.db).beat(node: node)
            } catch {
                // Not fatal: /healthz shows the silence, and the next beat may succeed.
                logger.error("Worker heartbeat failed: \(String(reflecting: error))")
            }
            try? await Task.sleep(for: .seconds(WorkerHeartbeatService.interval))
        }
    }

    private static func upkeep(_ application: Application, logger: Logger) async {
        var lastHousekeeping = Date.distantPast
        var lastLibraryFill = Date.distantPast
        while !Task.isCancelled {
            do {
                let channels = application.wiring.channels(on: application.db)
                try await ChannelHealthSweep(service: channels, logger: logger).run()
            } catch {
                logger.error("Channel health sweep failed: \(String(reflecting: error))")
            }
            do {
                // Channels connected since are heard from now on.
                try await application.wiring.inbox(on: application.db).startReaders()
            } catch {
                logger.error("Starting inbox readers failed: \(String(reflecting: error))")
            }
            do {
                // Channels connected since have their counts read from now on.
                try await application.wiring.postMetrics(on: application.db).startReaders()
            } catch {
                logger.error("Starting metrics readers failed: \(String(reflecting: error))")
            }
            if Date().timeIntervalSince(lastLibraryFill) >= LibraryFiller.interval {
                do {
                    try await application.wiring.libraryFiller(on: application.db).fillSlots()
                    lastLibraryFill = Date()
                } catch {
                    logger.error("Filling library slots failed: \(String(reflecting: error))")
                }
            }
            if Date().timeIntervalSince(lastHousekeeping) >= Housekeeping.interval {
                do {
                    try await Housekeeping(db: application.db).run()
                    lastHousekeeping = Date()
                } catch {
                    logger.error("Housekeeping failed: \(String(reflecting: error))")
                }
            }
            try? await Task.sleep(for: .seconds(WorkerHeartbeatService.interval))
        }
    }
}

/// Starts the worker with the server and stops it before the database goes away.
struct WorkerLifecycle: LifecycleHandler {
    let worker: Worker

    func didBootAsync(_ application: Application) async throws {
        await worker.start()
    }

    func shutdownAsync(_ application: Application) async {
        await worker.stop()
    }
}
