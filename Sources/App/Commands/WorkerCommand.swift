import Dispatch
import Vapor

/// `trestle worker`: the background worker alone, until SIGINT or SIGTERM.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Runs the background worker (publisher, scheduler, pollers) without the web server." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let worker = Worker(application: context.application)
        await worker.start()
        await Self.waitForTermination()
        await worker.stop()
    }

    static func waitForTermination() async {
        let stream = AsyncStream<Void> { continuation in
            // Only cancelled once, from onTermination.
            nonisolated(unsafe) let sources = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.finish() }
                source.resume()
                return source
            }
            continuation.onTermination = { _ in sources.forEach { $0.cancel() } }
        }
        for await _ in stream {}
    }
}
