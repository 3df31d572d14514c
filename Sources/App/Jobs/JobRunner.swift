import Foundation
import Logging

/// What became of a job its handler ran.
enum JobOutcome: Sendable, Equatable {
    case done
    /// Try again at this instant (a network said wait, or was down), with the reason.
    case retry(at: Date, reason: String)
    /// Give up, with a reason a person can act on.
    case failed(String)
}

/// One kind of background work: how many may run at once on this worker, how long a lease
/// lasts before another worker may take the job over, and what running one means.
struct JobKind: Sendable {
    var name: String
    var concurrency: Int
    var lease: TimeInterval = 60
    /// A job claimed this often without finishing (its worker kept dying) is given up.
    var maximumAttempts = 10
    var handler: @Sendable (JobQueue.Claimed) async throws -> JobOutcome
}

/// Runs the queue's jobs on this worker: for each kind, as many loops as its concurrency, each
/// claiming one due job at a time, so one slow kind never holds up another. While a job runs its
/// lease is extended; a handler that throws has its job retried later, with exponential backoff.
actor JobRunner {
    let queue: JobQueue
    /// This worker's name on the leases it holds; unique per runner.
    let owner: String
    private let kinds: [String: JobKind]
    private let pollInterval: Duration
    private let logger: Logger
    private var loops: [Task<Void, Never>] = []

    init(queue: JobQueue, node: String, kinds: [JobKind], pollInterval: Duration = .seconds(1), logger: Logger = Logger(label: "trestle.jobs")) {
        self.queue = queue
        self.owner = "\(node)/\(UUID().uuidString.prefix(8))"
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.pollInterval = pollInterval
        self.logger = logger
    }

    func start() {
        guard loops.isEmpty else { return }
        for kind in kinds.values {
            for _ in 0..<max(1, kind.concurrency) {
                loops.append(Task { await self.loop(kind) })
            }
        }
    }

    func stop() async {
        loops.forEach { $0.cancel() }
        for loop in loops { await loop.value }
        loops = []
    }

    /// Runs due jobs of `kind` here, one after another, until none is due; returns how many ran.
    @discardableResult
    func drain(_ name: String) async throws -> Int {
        guard let kind = kinds[name] else { return 0 }
        var ran = 0
        while let job = try await queue.claim(kind.name, owner: owner, limit: 1, lease: kind.lease).first {
            await run(job, as: kind)
            ran += 1
        }
        return ran
    }

    private nonisolated func loop(_ kind: JobKind) async {
        while !Task.isCancelled {
            let job: JobQueue.Claimed?
            do {
                job = try await queue.claim(kind.name, owner: owner, limit: 1, lease: kind.lease).first
            } catch {
                logger.error("Claiming \(kind.name) jobs failed: \(String(reflecting: error))")
                job = nil
            }
            guard let job else {
                try? await Task.sleep(for: pollInterval)
                continue
            }
            await run(job, as: kind)
        }
    }

    private nonisolated func run(_ job: JobQueue.Claimed, as kind: JobKind) async {
        let owner = self.owner
        let queue = self.queue
        let outcome: JobOutcome
        if job.attempt > kind.maximumAttempts {
            outcome = .failed("Gave up after \(kind.maximumAttempts) attempts that never finished.")
        } else {
            // The lease is renewed at a third of its length, so a slow job is never taken over.
            let keeper = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(kind.lease / 3))
                    try await queue.extend(job, owner: owner, lease: kind.lease)
                }
            }
            do {
                outcome = try await kind.handler(job)
            } catch where job.attempt >= kind.maximumAttempts {
                outcome = .failed("Gave up after \(job.attempt) attempts: \(error)")
            } catch {
                outcome = .retry(at: queue.clock.now().addingTimeInterval(Self.backoff(attempt: job.attempt)), reason: String(describing: error))
            }
            keeper.cancel()
        }
        do {
            switch outcome {
            case .done: try await queue.complete(job, owner: owner)
            case let .retry(at, reason): try await queue.retry(job, owner: owner, at: at, reason: reason)
            case let .failed(reason): try await queue.fail(job, owner: owner, reason: reason)
            }
        } catch {
            // The lease runs out and another worker takes the job; nothing is lost.
            logger.error("Recording a \(kind.name) job's outcome failed: \(String(reflecting: error))")
        }
    }

    /// 5 s, 10 s, 20 s … up to an hour, each ±20 % so that failures do not retry in step.
    static func backoff(attempt: Int) -> TimeInterval {
        let base = min(3600, 5 * pow(2, Double(min(max(attempt - 1, 0), 20))))
        return base * Double.random(in: 0.8...1.2)
    }
}
