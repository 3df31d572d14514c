import Foundation

/// Runs a parser over its real fixtures and many mutations of them. A crash ends the test
/// process (and so fails the suite); the report tells how many inputs ran and the slowest, so
/// a test can say that none hung.
public enum FuzzLoop {
    public struct Report: Sendable {
        public var inputs = 0
        public var slowest: Duration = .zero
        public var slowestInput: [UInt8] = []
    }

    /// How many mutated inputs each parser gets: `TRESTLE_FUZZ_ITERATIONS`, else `iterations`.
    public static func iterations(default iterations: Int) -> Int {
        ProcessInfo.processInfo.environment["TRESTLE_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(0, $0) } ?? iterations
    }

    /// The seeds first, unchanged, then `iterations` mutations of them. `TRESTLE_FUZZ_SEED`
    /// replaces `seed` to explore further.
    public static func run(
        seeds: [[UInt8]], iterations: Int = FuzzLoop.iterations(default: 20_000), seed: UInt64 = 2026,
        tokens: [String] = [], longest: Int = 1 << 16, _ body: ([UInt8]) throws -> Void
    ) rethrows -> Report {
        let seed = ProcessInfo.processInfo.environment["TRESTLE_FUZZ_SEED"].flatMap { UInt64($0) } ?? seed
        var mutator = Mutator(seed: seed, tokens: tokens, longest: longest)
        var random = SeededRandom(seed: seed ^ 0x5EED)
        var report = Report()
        let clock = ContinuousClock()
        func measure(_ input: [UInt8]) throws {
            let started = clock.now
            try body(input)
            let took = clock.now - started
            report.inputs += 1
            if took > report.slowest {
                report.slowest = took
                report.slowestInput = input
            }
        }
        for input in seeds { try measure(input) }
        guard !seeds.isEmpty else { return report }
        for _ in 0..<iterations {
            try measure(mutator.mutate(seeds.randomElement(using: &random)!, splicingFrom: seeds))
        }
        return report
    }
}
