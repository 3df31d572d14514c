import AsyncHTTPClient
import Foundation
@testable import Networks
import NIOCore
import Testing

/// One total deadline for an outbound call: a server that trickles its answer cannot hold a
/// connect, a check or the worker's sweep past it.
@Suite struct OutboundDeadlineTests {
    /// The shared client is AsyncHTTPClient's own, which is never shut down.
    private func client(timeout: TimeAmount) throws -> NetworkHTTPClient {
        var client = NetworkHTTPClient(client: HTTPClient.shared, policy: try OutboundAddressPolicy(allowing: ["127.0.0.1"]))
        client.timeout = timeout
        return client
    }

    /// The answer would take 55 hours at its pace. The bound leaves room for a busy machine
    /// running the whole suite; without the total deadline the call never ends.
    @Test(.timeLimit(.minutes(1)))
    func anAnswerThatTricklesForeverEndsAtTheDeadline() async throws {
        let server = try TrickleServer()
        defer { server.stop() }
        let http = try client(timeout: .milliseconds(1_500))
        let started = ContinuousClock.now
        await #expect(throws: NetworkError.timedOut(host: "127.0.0.1")) {
            _ = try await http.send(.GET, URL(string: "http://127.0.0.1:\(server.port)/api/v1/instance")!)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(30), "the call took \(elapsed)")
    }

    @Test func aLooseAddressFormIsRefusedBeforeAnyConnection() async throws {
        let http = try client(timeout: .seconds(5))
        for host in ["012.0.0.1", "0x7f.0.0.1", "127.1", "2130706433"] {
            await #expect(throws: NetworkError.self) {
                _ = try await http.send(.GET, URL(string: "http://\(host)/")!)
            }
        }
        do {
            _ = try await http.send(.GET, URL(string: "http://012.0.0.1/")!)
        } catch let error as NetworkError {
            guard case .invalidURL = error else { Issue.record("expected invalidURL, got \(error)"); return }
        }
    }
}
