import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `trestle worker` process, as an operator runs it, that a test can kill like a power
/// cut (SIGKILL) and start again.
final class WorkerProcess: @unchecked Sendable {
    /// The debug build of `trestle`, which `swift build --build-tests` (and so `swift test`) makes.
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/trestle")

    private let process = Process()

    init(environment: [String: String]) throws {
        process.executableURL = Self.binary
        process.arguments = ["worker"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// No warning, no clean-up: what the worker had in flight is left as it was.
    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
