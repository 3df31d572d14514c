import Foundation
import Synchronization
import Testing
import Vapor

/// A loopback HTTP server for a fake of a network's API: real sockets, real HTTP, so Trestle's
/// AsyncHTTPClient calls go through the same code as in production. It records every request.
final class FakeNetworkServer: Sendable {
    struct Recorded: Sendable {
        var method: String
        var path: String
        var authorization: String?
        var body: String
    }

    private let app: Application
    private let log = RequestLog()

    /// Starts a server on 127.0.0.1 at a free port, with the routes `register` adds;
    /// `compressing` gzips answers of compressible types for clients that accept it.
    init(compressing: Bool = false, _ register: (any RoutesBuilder) -> Void) async throws {
        app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        if compressing { app.http.server.configuration.responseCompression = .enabled }
        register(app.grouped(Recorder(log: log)))
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    }

    /// `http://127.0.0.1:PORT`, as a person would type the server's address.
    var baseURL: String {
        "http://127.0.0.1:\(app.http.server.shared.localAddress?.port ?? 0)"
    }

    var requests: [Recorded] {
        log.entries.withLock { $0 }
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    private struct Recorder: AsyncMiddleware {
        let log: RequestLog

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            log.entries.withLock {
                $0.append(Recorded(
                    method: request.method.rawValue, path: request.url.path,
                    authorization: request.headers.first(name: .authorization), body: request.body.string ?? ""
                ))
            }
            return try await next.respond(to: request)
        }
    }

    private final class RequestLog: Sendable {
        let entries = Mutex<[Recorded]>([])
    }
}
