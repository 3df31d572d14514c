import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one way Trestle calls a network: AsyncHTTPClient with no redirects followed, bounded
/// time and answer size, and every host checked against the `OutboundAddressPolicy` first.
///
/// A name is resolved once, checked, and the connection is made to that very address (TLS
/// still verifies the name), so a name that answers differently the second time — DNS
/// rebinding — cannot lead past the check.
public struct NetworkHTTPClient: Sendable {
    /// An answer, read whole.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data

        public func header(_ name: String) -> String? { headers.first(name: name) }
    }

    let client: HTTPClient
    private let policy: OutboundAddressPolicy
    private let resolver: HostResolver
    /// The whole call — name lookup, connecting, the answer's head and all of its body — ends
    /// within this, however slowly a server trickles its answer.
    public var timeout: TimeAmount = .seconds(15)
    public var maximumResponseBytes = 2 << 20

    /// `client` should be made by `makeHTTPClient(eventLoopGroup:)`, which follows no redirect:
    /// a redirect could lead past the address check.
    public init(client: HTTPClient, policy: OutboundAddressPolicy) {
        self.client = client
        self.policy = policy
        self.resolver = HostResolver()
    }

    /// An AsyncHTTPClient that follows no redirects, gives up connecting after 10 seconds and does
    /// not retry a refused connection; the caller shuts it down. `read` is how long it waits for
    /// the next bytes of an answer.
    public static func makeHTTPClient(eventLoopGroup: any EventLoopGroup, pinning pins: [String: String] = [:], read: TimeAmount = .seconds(20)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.dnsOverride = pins
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: read)
        // A refused connection is an answer: said at once, rather than retried until the
        // connect timeout while the person waits.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .enabled(limit: .ratio(20))
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
    }

    /// Sends one request. Transport failures become `NetworkError`s; any HTTP status is
    /// returned for the network's client to read. `timeout` replaces the usual deadline for a
    /// call that carries a large body (a video upload).
    public func send(_ method: HTTPMethod, _ url: URL, headers: HTTPHeaders = [:], body: Data? = nil, timeout: TimeAmount? = nil) async throws -> Response {
        let timeout = timeout ?? self.timeout
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty else {
            throw NetworkError.invalidURL("\(url.absoluteString) is not an http:// or https:// address.")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        request.headers = headers
        if !request.headers.contains(name: "User-Agent") { request.headers.add(name: "User-Agent", value: "Trestle") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }

        // Every call has a client of its own, so that when the deadline passes its connection
        // can be closed for certain, whatever the server is still sending. A pinned address is
        // part of AsyncHTTPClient's configuration, not of a request, so it needs one anyway.
        let call = OneCall()
        let deadline = NIODeadline.now() + timeout
        let prepared = request
        return try await Self.within(timeout, host: host, onTimeout: { await call.end() }) { [self] in
            let pinned = try await checkedAddress(of: host)
            let client = Self.makeHTTPClient(eventLoopGroup: self.client.eventLoopGroup, pinning: pinned.map { [host: $0.description] } ?? [:])
            guard await call.begin(client) else { throw NetworkError.timedOut(host: host) }
            do {
                let response = try await execute(prepared, host: host, deadline: deadline, on: client)
                await call.end()
                return response
            } catch {
                await call.end()
                throw error
            }
        }
    }

    private func execute(_ request: HTTPClientRequest, host: String, deadline: NIODeadline, on client: HTTPClient) async throws -> Response {
        do {
            let response = try await client.execute(request, deadline: deadline)
            let bytes = try await response.body.collect(upTo: maximumResponseBytes)
            return Response(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
        } catch let error as NetworkError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw NetworkError.timedOut(host: host)
        } catch is NIOTooManyBytesError {
            throw NetworkError.unexpectedResponse("\(host) sent an answer larger than \(maximumResponseBytes / 1_048_576) MB.")
        } catch where String(reflecting: error).contains("DecompressionError") {
            // A compressed answer that expands past the client's ratio: a zip bomb, or garbage.
            throw NetworkError.unexpectedResponse("\(host) sent a compressed answer that expands far beyond its size; Trestle did not read it.")
        } catch {
            if NIODeadline.now() >= deadline { throw NetworkError.timedOut(host: host) }
            throw NetworkError.unreachable(host: host, reason: Self.reason(error))
        }
    }

    /// Runs `operation`, but answers `timedOut` once `limit` has passed even if it has not
    /// finished: `onTimeout` then closes what it holds open, and it is cancelled.
    static func within<T: Sendable>(
        _ limit: TimeAmount, host: String, onTimeout: @escaping @Sendable () async -> Void,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = FirstOutcome<T>()
        let work = Task {
            do { await outcome.settle(.success(try await operation())) } catch { await outcome.settle(.failure(error)) }
        }
        let timer = Task {
            try await Task.sleep(nanoseconds: UInt64(max(0, limit.nanoseconds)))
            if await outcome.settle(.failure(NetworkError.timedOut(host: host))) {
                await onTimeout()
                work.cancel()
            }
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            work.cancel()
            Task { await onTimeout() }
        }
    }

    /// Checks where `host` leads; returns the address to connect to when `host` is a name.
    func checkedAddress(of host: String) async throws -> IPAddress? {
        if policy.allows(host: host) { return nil }
        if let literal = IPAddress(host) {
            guard policy.allows(literal) else { throw NetworkError.refusedAddress(host: host) }
            return nil
        }
        // `012.0.0.1`, `0x7f.1`, `127.1`: the C library would read these as other addresses.
        guard !IPAddress.looksLikeIPv4(host) else {
            throw NetworkError.invalidURL("\(host) is not a well-formed address: write IPv4 addresses as four decimal numbers without leading zeros.")
        }
        let addresses = try await resolver.addresses(of: host)
        guard !addresses.isEmpty else { throw NetworkError.unreachable(host: host, reason: "the name does not resolve") }
        // Every address must pass, so that the answer does not depend on which one is used.
        guard addresses.allSatisfy(policy.allows) else { throw NetworkError.refusedAddress(host: host) }
        // IPv4 first: a host with an IPv6 address is not always reachable over IPv6 from here.
        return addresses.first { $0.bytes.count == 4 } ?? addresses.first
    }

    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("ssl") || text.localizedCaseInsensitiveContains("tls") || text.contains("certificate") {
            return "its TLS certificate could not be verified"
        }
        if text.contains("lookup") || text.contains("resolv") { return "the name does not resolve" }
        return "the connection failed"
    }
}

/// The client of one call, shut down exactly once: when the call ends or its deadline passes.
actor OneCall {
    private var client: HTTPClient?
    private var ended = false

    /// False when the call's deadline passed before it had a client.
    func begin(_ client: HTTPClient) async -> Bool {
        guard !ended else {
            try? await client.shutdown()
            return false
        }
        self.client = client
        return true
    }

    func end() async {
        ended = true
        guard let client else { return }
        self.client = nil
        try? await client.shutdown()
    }
}

/// Whichever comes first of an operation's result and its deadline.
private actor FirstOutcome<T: Sendable> {
    private var result: Result<T, any Error>?
    private var waiting: CheckedContinuation<T, any Error>?

    /// True when this was the first outcome.
    @discardableResult
    func settle(_ outcome: Result<T, any Error>) -> Bool {
        guard result == nil else { return false }
        result = outcome
        waiting?.resume(with: outcome)
        waiting = nil
        return true
    }

    func value() async throws -> T {
        if let result { return try result.get() }
        return try await withCheckedThrowingContinuation { waiting = $0 }
    }
}
