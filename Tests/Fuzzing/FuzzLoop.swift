import Foundation

/// Runs a parser over its real fixtures and many mutations of them. A crash ends the test
/// process (and so fails the suite); the report tells how many inputs ran and the slowest, so
/// a test can say that none hung.
///
/// The loop runs on a thread of its own: seconds of parsing on Swift's few cooperative threads
/// would starve the other tests running beside it (and their timers).
public enum FuzzLoop {
    public struct Report: Sendable {
        public var inputs = 0
        public var slowest: Duration = .zero
        public var slowestInput: [UInt8] = []
    }

    /// Slower than this, one input counts as a hang. Generous: the suite runs beside other
    /// tests on two cores, and a parser that loops without end takes far longer.
    public static let hang: Duration = .seconds(5)

    /// How many mutated inputs each parser gets: `TRESTLE_FUZZ_ITERATIONS`, else `iterations`.
    public static func iterations(default iterations: Int) -> Int {
        ProcessInfo.processInfo.environment["TRESTLE_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(0, $0) } ?? iterations
    }

    /// The seeds first, unchanged, then `iterations` mutations of them. `TRESTLE_FUZZ_SEED`
    /// replaces `seed` to explore further.
    public static func run(
        seeds: [[UInt8]], iterations: Int = FuzzLoop.iterations(default: 20_000), seed: UInt64 = 2026,
        tokens: [String] = [], longest: Int = 1 << 16, _ body: @escaping ([UInt8]) -> Void
    ) async -> Report {
        let work = Unchecked {
            loop(seeds: seeds, iterations: iterations, seed: seed, tokens: tokens, longest: longest, body)
        }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work.value()) }
        }
    }

    /// The caller waits while the loop runs, so the closure is never used from two threads.
    private struct Unchecked: @unchecked Sendable {
        let value: () -> Report
        init(_ value: @escaping () -> Report) { self.value = value }
    }

    private static func loop(
        seeds: [[UInt8]], iterations: Int, seed: UInt64, tokens: [String], longest: Int, _ body: ([UInt8]) -> Void
    ) -> Report {
        let seed = ProcessInfo.processInfo.environment["TRESTLE_FUZZ_SEED"].flatMap { UInt64($0) } ?? seed
        var mutator = Mutator(seed: seed, tokens: tokens, longest: longest)
        var random = SeededRandom(seed: seed ^ 0x5EED)
        var report = Report()
        let clock = ContinuousClock()
        func measure(_ input: [UInt8]) {
            let started = clock.now
            body(input)
            let took = clock.now - started
            report.inputs += 1
            if took > report.slowest {
                report.slowest = took
                report.slowestInput = input
            }
        }
        for input in seeds { measure(input) }
        guard !seeds.isEmpty else { return report }
        for _ in 0..<iterations {
            measure(mutator.mutate(seeds.randomElement(using: &random)!, splicingFrom: seeds))
        }
        return report
    }
}
