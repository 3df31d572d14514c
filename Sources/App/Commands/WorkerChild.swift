import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A `trestle worker` started as a child process (by the benchmarks and the crash tests), whose
/// end is known from Foundation's termination handler, set before it starts so that a quick
/// exit is never missed. `Process.waitUntilExit` is not used: called off the main thread it
/// spins a run loop that may never hear of the exit, and parks its thread for good — on a
/// machine of two cores, two such waits stopped a whole test run.
public final class WorkerChild: Sendable {
    private let process: Process
    private let end = End()

    /// Set and signalled once, by the termination handler.
    private final class End: Sendable {
        let happened = Mutex(false)
        let signal = DispatchSemaphore(value: 0)
    }

    /// Starts `binary worker` with `environment` (this process's when nil).
    public init(binary: URL, environment: [String: String]? = nil, standardError: FileHandle = .standardError) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["worker"]
        if let environment { process.environment = environment }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError
        self.process = process
        process.terminationHandler = { [end] _ in
            end.happened.withLock { $0 = true }
            end.signal.signal()
        }
        try process.run()
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var hasEnded: Bool { end.happened.withLock { $0 } }

    /// SIGTERM, as `systemctl stop` sends: the worker finishes what it holds and ends.
    public func terminate() { if !hasEnded { Glibc.kill(process.processIdentifier, SIGTERM) } }

    /// SIGKILL: a power cut, nothing cleaned up.
    public func kill() { if !hasEnded { Glibc.kill(process.processIdentifier, SIGKILL) } }

    /// Whether the process ended within `limit`, watched without holding a thread.
    public func ended(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !hasEnded {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// SIGTERM, then SIGKILL if it has not ended after `grace`; returns once it has ended. For
    /// `defer`, where nothing can be awaited: it blocks on a semaphore the termination handler
    /// signals from Foundation's own thread, never on a run loop.
    public func stopAndWait(grace: TimeInterval = 60) {
        terminate()
        if end.signal.wait(timeout: .now() + grace) == .timedOut {
            kill()
            _ = end.signal.wait(timeout: .now() + 30)
        }
    }
}
