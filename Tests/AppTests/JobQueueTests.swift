@testable import App
import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing
import Vapor

/// The job runner in the database: every job runs once however many workers race for it, a
/// dead worker's job is taken over, and a failing one is retried later, then given up.
@Suite struct JobQueueTests {
    private final class RunLog: Sendable {
        let ids = Mutex<[UUID]>([])
    }

    @Test(arguments: TestDatabase.all)
    func eachJobRunsOnceWhenFourWorkersRaceForIt(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let queue = JobQueue(db: app.db as! any SQLDatabase, clock: SystemClock())
            var enqueued: [UUID] = []
            for n in 0..<300 { enqueued.append(try await queue.enqueue("test.echo", payload: #"{"n": \#(n)}"#)) }
            let log = RunLog()
            let kind = JobKind(name: "test.echo", concurrency: 4) { job in
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...3)))
                log.ids.withLock { $0.append(job.id) }
                return .done
            }
            let runners = (0..<4).map { JobRunner(queue: queue, node: "worker-\($0)", kinds: [kind], pollInterval: .milliseconds(5)) }
            for runner in runners { await runner.start() }
            let deadline = ContinuousClock.now + .seconds(60)
            while try await queue.pending("test.echo") > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            for runner in runners { await runner.stop() }
            let ran = log.ids.withLock { $0 }
            #expect(ran.count == 300, "ran \(ran.count) times")
            #expect(Set(ran) == Set(enqueued), "every job ran, and none twice")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDeadWorkersJobIsTakenOverWhenItsLeaseRunsOut(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let clock = ManualClock()
            let queue = JobQueue(db: app.db as! any SQLDatabase, clock: clock)
            try await queue.enqueue("test.publish")
            let dead = try #require(try await queue.claim("test.publish", owner: "dead", limit: 5, lease: 60).first)
            #expect(dead.attempt == 1)
            #expect(try await queue.claim("test.publish", owner: "alive", limit: 5, lease: 60).isEmpty, "leased")
            clock.advance(by: 30)
            #expect(try await queue.extendAll("test.publish", owner: "dead", lease: 60) == 1, "a live worker keeps its lease")
            clock.advance(by: 61)
            let taken = try #require(try await queue.claim("test.publish", owner: "alive", limit: 5, lease: 60).first)
            #expect(taken.id == dead.id && taken.attempt == 2)
            #expect(try await queue.complete([dead], owner: "dead") == 0, "the presumed dead cannot finish it")
            #expect(try await queue.retry(dead, owner: "dead", at: clock.now(), reason: "late") == false)
            #expect(try await queue.complete([taken], owner: "alive") == 1)
            #expect(try await queue.pending("test.publish") == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailingJobIsRetriedLaterWithItsReasonThenGivenUp(_ database: TestDatabase) async throws {
        struct Down: Error, CustomStringConvertible { var description: String { "the instance is down" } }
        try await withTrestle(database) { app in
            let clock = ManualClock()
            let queue = JobQueue(db: app.db as! any SQLDatabase, clock: clock)
            let kind = JobKind(name: "test.flaky", concurrency: 1, maximumAttempts: 3) { _ in throw Down() }
            let runner = JobRunner(queue: queue, node: "w", kinds: [kind])
            try await queue.enqueue("test.flaky")
            #expect(try await runner.drain("test.flaky") == 1)
            #expect(try await runner.drain("test.flaky") == 0, "not due again yet")
            let row = try #require(try await (app.db as! any SQLDatabase).raw("SELECT run_at, last_error, failed_at FROM jobs").first())
            #expect(try row.decode(column: "last_error", as: String.self) == "the instance is down")
            let runAt = try row.decode(column: "run_at", as: Date.self)
            #expect(runAt > clock.now().addingTimeInterval(3) && runAt < clock.now().addingTimeInterval(7), "first backoff is about 5 s")
            for _ in 0..<3 {
                clock.advance(by: 3600)
                try await runner.drain("test.flaky")
            }
            let failed = try #require(try await (app.db as! any SQLDatabase).raw("SELECT failed_at, last_error FROM jobs").first())
            #expect(try failed.decodeNil(column: "failed_at") == false)
            #expect(try failed.decode(column: "last_error", as: String.self) == "Gave up after 3 attempts: the instance is down")
            #expect(try await queue.pending("test.flaky") == 0)
        }
    }
}
