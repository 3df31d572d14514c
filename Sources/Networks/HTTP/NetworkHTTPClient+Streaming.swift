import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Answers that stay open: server-sent events (Mastodon's streaming API). The host is checked
/// by the same `OutboundAddressPolicy` and pinned to the checked address as in `send`; the head
/// must come within `timeout`, and then the body is read for as long as it keeps coming.
extension NetworkHTTPClient {
    /// How much of a refusal's body (a 401's `{"error": …}`) is read.
    static let largestRefusal = 64 * 1024

    /// Opens `url` and hands each piece of its body to `received` as it comes, waiting for
    /// `received` before reading on. Returns when the server ends the answer; throws `timedOut`
    /// when nothing at all came for `idleTimeout` (a heartbeat counts), so a connection that
    /// died without a word is noticed; a cancelled caller closes the connection. `opened` sees
    /// the head first; an answer that is not 2xx comes to it with its body and ends the call.
    public func stream(
        _ url: URL, headers: HTTPHeaders = [:], idleTimeout: Duration = .seconds(60),
        opened: (Response) throws -> Void, received: (ByteBuffer) async throws -> Void
    ) async throws {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty else {
            throw NetworkError.invalidURL("\(url.absoluteString) is not an http:// or https:// address.")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers = headers
        if !request.headers.contains(name: "User-Agent") { request.headers.add(name: "User-Agent", value: "Trestle") }

        let pinned = try await Self.within(timeout, host: host, onTimeout: {}) { [self] in try await checkedAddress(of: host) }
        // The client's own read timeout is only a backstop behind the idle watch below.
        let idleSeconds = max(1, idleTimeout.components.seconds)
        let client = Self.makeHTTPClient(
            eventLoopGroup: self.client.eventLoopGroup, pinning: pinned.map { [host: $0.description] } ?? [:], read: .seconds(idleSeconds * 2 + 5)
        )
        let call = OneCall()
        guard await call.begin(client) else { throw NetworkError.timedOut(host: host) }
        let activity = StreamActivity()
        // Closing the connection is the one way to stop a read that waits for bytes.
        let watch = Task {
            while true {
                let quiet = activity.quiet
                if quiet >= idleTimeout {
                    activity.idled()
                    await call.end()
                    return
                }
                do { try await Task.sleep(for: idleTimeout - quiet) } catch { return }
            }
        }
        do {
            try await withTaskCancellationHandler {
                let response = try await client.execute(request, deadline: .now() + timeout)
                activity.touch()
                var head = Response(status: Int(response.status.code), headers: response.headers, body: Data())
                guard (200..<300).contains(head.status) else {
                    head.body = Data(try await response.body.collect(upTo: Self.largestRefusal).readableBytesView)
                    try Caller.run { try opened(head) }
                    return
                }
                try Caller.run { try opened(head) }
                for try await piece in response.body {
                    activity.touch()
                    try await Caller.run { try await received(piece) }
                    activity.touch()
                }
            } onCancel: {
                Task { await call.end() }
            }
            watch.cancel()
            await call.end()
        } catch {
            watch.cancel()
            await call.end()
            if activity.wasIdle { throw NetworkError.timedOut(host: host) }
            if let error = error as? Caller { throw error.error }
            if Task.isCancelled { throw CancellationError() }
            switch error {
            case let error as NetworkError:
                throw error
            case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout:
                throw NetworkError.timedOut(host: host)
            case is NIOTooManyBytesError:
                throw NetworkError.unexpectedResponse("\(host) refused the connection with an answer larger than \(Self.largestRefusal / 1024) KiB.")
            default:
                throw NetworkError.unreachable(host: host, reason: Self.reason(error))
            }
        }
    }
}

/// An error of the caller's own closures, told apart from the transport's and passed on as is.
private struct Caller: Error {
    let error: any Error

    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch { throw Caller(error: error) }
    }

    static func run(_ body: () async throws -> Void) async throws {
        do { try await body() } catch { throw Caller(error: error) }
    }
}

/// When a stream last heard anything, and whether it was given up for its silence.
private final class StreamActivity: Sendable {
    private let state = Mutex((last: ContinuousClock.now, idle: false))

    func touch() { state.withLock { $0.last = .now } }
    var quiet: Duration { ContinuousClock.now - state.withLock { $0.last } }
    func idled() { state.withLock { $0.idle = true } }
    var wasIdle: Bool { state.withLock { $0.idle } }
}
