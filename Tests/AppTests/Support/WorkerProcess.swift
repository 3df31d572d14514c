@testable import App
import Foundation
import Testing

/// A real `trestle worker` process, as an operator runs it, that a test can kill like a power
/// cut (SIGKILL) and start again. Waiting for it never holds a thread and never waits for ever:
/// a worker that does not stop on SIGTERM is a failure of the test, and is then killed.
final class WorkerProcess: Sendable {
    /// The debug build of `trestle`, which `swift build --build-tests` (and so `swift test`) makes.
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/trestle")

    /// How long an operator's `systemctl stop` may reasonably wait for a worker.
    static let stopWithin: Duration = .seconds(15)

    private let child: WorkerChild

    init(environment: [String: String]) throws {
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "DATABASE_URL")
        merged.merge(environment) { _, new in new }
        child = try WorkerChild(binary: Self.binary, environment: merged, standardError: .nullDevice)
    }

    /// No warning, no clean-up: what the worker had in flight is left as it was.
    func kill(sourceLocation: SourceLocation = #_sourceLocation) async {
        child.kill()
        if await !child.ended(within: .seconds(30)) {
            Issue.record("the worker was still running 30 s after SIGKILL", sourceLocation: sourceLocation)
        }
    }

    /// SIGTERM, as `systemctl stop` sends; a worker still running after `stopWithin` fails
    /// the test and is killed.
    func stop(sourceLocation: SourceLocation = #_sourceLocation) async {
        child.terminate()
        if await !child.ended(within: Self.stopWithin) {
            Issue.record("the worker did not stop within \(Self.stopWithin) of SIGTERM", sourceLocation: sourceLocation)
            await kill(sourceLocation: sourceLocation)
        }
    }
}
