import Foundation
import Logging
import Synchronization

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
    /// Loops claiming at once, each with its share of the slots: more than one only for kinds
    /// of many short jobs, where one loop would wait on the database between batches.
    var claimLoops = 1
    var lease: TimeInterval = 60
    /// A job claimed this often without finishing (its worker kept dying) is given up.
    var maximumAttempts = 10
    var handler: @Sendable (JobQueue.Claimed) async throws -> JobOutcome
}

/// Runs the queue's jobs on this worker. For each kind, a loop claims due jobs in batches —
/// as many as the kind has free slots — and runs them at once, up to its concurrency, so one
/// slow kind never holds up another and a busy queue costs a query per batch, not per job. The
/// leases of the jobs in hand are renewed together; the jobs that finished are completed
/// together. A handler that throws has its job retried later, with exponential backoff.
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
            loops.append(Task { await self.keepLeases(of: kind) })
            let claimLoops = min(max(1, kind.claimLoops), max(1, kind.concurrency))
            for index in 0..<claimLoops {
                // The slots shared out, the first loops taking what does not divide evenly.
                let slots = kind.concurrency / claimLoops + (index < kind.concurrency % claimLoops ? 1 : 0)
                loops.append(Task { await self.loop(kind, slots: max(1, slots)) })
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
            let outcome = await Self.outcome(of: job, as: kind, clock: queue.clock)
            try await record([(job, outcome)])
            ran += 1
        }
        return ran
    }

    private nonisolated func loop(_ kind: JobKind, slots: Int) async {
        let finished = FinishedJobs()
        // Children are the running jobs (false) and at most one poll tick (true), so a runner
        // with free slots looks for due jobs again while long ones still run.
        await withTaskGroup(of: Bool.self) { group in
            var running = 0
            var ticking = false
            // Outcomes taken, and job children the group has handed back: a child whose outcome
            // was taken is collected soon after, so the group never holds finished children.
            var taken = 0
            var collected = 0
            var recording: Task<Void, Never>?
            func collect(_ result: Bool?) {
                if result == true { ticking = false } else if result == false { collected += 1 }
            }
            while !Task.isCancelled {
                var claimed: [JobQueue.Claimed] = []
                if running < slots {
                    do {
                        claimed = try await queue.claim(kind.name, owner: owner, limit: slots - running, lease: kind.lease)
                    } catch {
                        logger.error("Claiming \(kind.name) jobs failed: \(String(reflecting: error))")
                    }
                }
                for job in claimed {
                    running += 1
                    group.addTask {
                        finished.add(job, await Self.outcome(of: job, as: kind, clock: self.queue.clock))
                        return false
                    }
                }
                if running == 0 {
                    try? await Task.sleep(for: pollInterval)
                    continue
                }
                // Wait for one to finish when the slots are full or nothing more is due (or, with
                // free slots, for the next look); then every job that finished meanwhile is
                // recorded together.
                if claimed.isEmpty || running == slots {
                    if running < slots, !ticking {
                        ticking = true
                        group.addTask {
                            try? await Task.sleep(for: self.pollInterval)
                            return true
                        }
                    }
                    collect(await group.next())
                    // Jobs finishing at this moment finish first, to be recorded, and their
                    // slots filled, in one batch rather than one by one.
                    await Task.yield()
                }
                let outcomes = finished.takeAll()
                running -= outcomes.count
                taken += outcomes.count
                while collected < taken, let result = await group.next() { collect(result) }
                guard !outcomes.isEmpty else { continue }
                // Recorded while the next batch is claimed, one recording at a time: a finished
                // job keeps its lease until then, so no one claims it meanwhile.
                await recording?.value
                recording = Task { await self.record(outcomes, of: kind) }
            }
            await group.waitForAll()
            await recording?.value
            await record(finished.takeAll(), of: kind)
        }
    }

    private nonisolated func record(_ outcomes: [(JobQueue.Claimed, JobOutcome)], of kind: JobKind) async {
        do {
            try await record(outcomes)
        } catch {
            // The leases run out and another worker takes the jobs; nothing is lost.
            logger.error("Recording \(kind.name) jobs' outcomes failed: \(String(reflecting: error))")
        }
    }

    /// Renews, at a third of their length, the leases of every job of `kind` this runner holds,
    /// so a slow job is never taken over.
    private nonisolated func keepLeases(of kind: JobKind) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(kind.lease / 3))
            do {
                try await queue.extendAll(kind.name, owner: owner, lease: kind.lease)
            } catch {
                logger.error("Renewing \(kind.name) leases failed: \(String(reflecting: error))")
            }
        }
    }

    private static func outcome(of job: JobQueue.Claimed, as kind: JobKind, clock: any WallClock) async -> JobOutcome {
        if job.attempt > kind.maximumAttempts {
            return .failed("Gave up after \(kind.maximumAttempts) attempts that never finished.")
        }
        do {
            return try await kind.handler(job)
        } catch where job.attempt >= kind.maximumAttempts {
            return .failed("Gave up after \(job.attempt) attempts: \(error)")
        } catch {
            return .retry(at: clock.now().addingTimeInterval(backoff(attempt: job.attempt)), reason: String(describing: error))
        }
    }

    /// The finished jobs' outcomes: the done ones leave the queue in one statement.
    private nonisolated func record(_ outcomes: [(JobQueue.Claimed, JobOutcome)]) async throws {
        guard !outcomes.isEmpty else { return }
        let done = outcomes.filter { $0.1 == .done }.map(\.0)
        if !done.isEmpty { try await queue.complete(done, owner: owner) }
        for (job, outcome) in outcomes {
            switch outcome {
            case .done: break
            case let .retry(at, reason): try await queue.retry(job, owner: owner, at: at, reason: reason)
            case let .failed(reason): try await queue.fail(job, owner: owner, reason: reason)
            }
        }
    }

    /// 5 s, 10 s, 20 s … up to an hour, each ±20 % so that failures do not retry in step.
    static func backoff(attempt: Int) -> TimeInterval {
        let base = min(3600, 5 * pow(2, Double(min(max(attempt - 1, 0), 20))))
        return base * Double.random(in: 0.8...1.2)
    }
}

/// The outcomes of the jobs that finished since the runner last looked.
private final class FinishedJobs: Sendable {
    private let outcomes = Mutex<[(JobQueue.Claimed, JobOutcome)]>([])

    func add(_ job: JobQueue.Claimed, _ outcome: JobOutcome) {
        outcomes.withLock { $0.append((job, outcome)) }
    }

    func takeAll() -> [(JobQueue.Claimed, JobOutcome)] {
        outcomes.withLock { taken in
            defer { taken.removeAll(keepingCapacity: true) }
            return taken
        }
    }
}
