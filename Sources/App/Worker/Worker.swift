import Foundation
import Vapor

/// The background worker: proves it is alive, and checks channels' credentials once a day;
/// publishing and polling join it as those capabilities arrive. Runs inside `serve` (unless `--no-worker`) or as `trestle worker`.
actor Worker {
    let node: String
    private let application: Application
    private var loop: Task<Void, Never>?

    init(application: Application) {
        self.application = application
        self.node = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    func start() {
        guard loop == nil else { return }
        let application = self.application
        let node = self.node
        loop = Task {
            let logger = Logger(label: "trestle.worker")
            logger.info("Worker started", metadata: ["node": .string(node)])
            var lastHousekeeping = Date.distantPast
            while !Task.isCancelled {
                do {
                    try await WorkerHeartbeatService(db: application.db).beat(node: node)
                } catch {
                    // Not fatal: /healthz shows the silence, and the next beat may succeed.
                    logger.error("Worker heartbeat failed: \(String(reflecting: error))")
                }
                do {
                    let channels = ChannelService(
                        db: application.db, http: application.networkHTTP, sealer: CredentialSealer(secretKey: application.settings.secretKey)
                    )
                    try await ChannelHealthSweep(service: channels, logger: logger).run()
                } catch {
                    logger.error("Channel health sweep failed: \(String(reflecting: error))")
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

    func stop() async {
        loop?.cancel()
        await loop?.value
        loop = nil
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
