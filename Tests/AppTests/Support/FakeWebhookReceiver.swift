@testable import App
import Foundation
import Synchronization
import Testing
import Vapor

/// Someone's endpoint for Trestle's webhooks, on loopback: it records each call's signature
/// header, content type and raw body, and can answer 500 to the first few.
final class FakeWebhookReceiver: Sendable {
    struct Call: Sendable {
        var signature: String?
        var contentType: String?
        var body: String

        /// The body as JSON.
        func json() throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        }

        /// `t` and `v1` of `Trestle-Signature`.
        func signatureParts() throws -> (t: String, v1: String) {
            let fields = Dictionary(uniqueKeysWithValues: try #require(signature).split(separator: ",").map { field in
                let pair = field.split(separator: "=", maxSplits: 1)
                return (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
            })
            return (try #require(fields["t"]), try #require(fields["v1"]))
        }
    }

    let server: FakeNetworkServer
    private let state: State

    private final class State: Sendable {
        let calls = Mutex<[Call]>([])
        let failuresLeft: Mutex<Int>
        init(failures: Int) { failuresLeft = Mutex(failures) }
    }

    /// Where Trestle should POST.
    var url: String { server.baseURL + "/hooks/trestle" }
    var calls: [Call] { state.calls.withLock { $0 } }

    private init(server: FakeNetworkServer, state: State) {
        self.server = server
        self.state = state
    }

    static func with(failingFirst failures: Int = 0, _ body: (FakeWebhookReceiver) async throws -> Void) async throws {
        let state = State(failures: failures)
        let server = try await FakeNetworkServer { routes in
            routes.post("hooks", "trestle") { req -> HTTPStatus in
                state.calls.withLock {
                    $0.append(Call(signature: req.headers.first(name: "Trestle-Signature"), contentType: req.headers.first(name: .contentType),
                                   body: req.body.string ?? ""))
                }
                let fail = state.failuresLeft.withLock { left in
                    guard left > 0 else { return false }
                    left -= 1
                    return true
                }
                return fail ? .internalServerError : .noContent
            }
        }
        let receiver = FakeWebhookReceiver(server: server, state: state)
        do { try await body(receiver) } catch { try? await server.stop(); throw error }
        try await server.stop()
    }
}

/// What a receiver computes to check a call: hex HMAC-SHA256(secret, "<t>.<raw body>"),
/// written out here so the test does not lean on the code it tests.
func expectedWebhookSignature(secret: String, t: String, body: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: Data("\(t).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
    return mac.map { String(format: "%02x", $0) }.joined()
}

extension Application {
    /// Runs every webhook call that is due, here and now, as a worker would; returns how many ran.
    @discardableResult
    func sendDueWebhooks() async throws -> Int {
        try await runDueJobs(WebhookService.job) { [self] job in try await wiring.webhooks(on: db).send(job: job) }
    }

    /// Adds a webhook through the API; returns its JSON (with the secret).
    func addWebhook(_ member: Member, url: String, events: [String] = ["delivery.published", "delivery.failed"]) async throws -> [String: Any] {
        let list = events.map { "\"\($0)\"" }.joined(separator: ", ")
        let response = try await api(.POST, "/api/v1/workspaces/\(member.workspaceID)/webhooks", as: member,
                                     json: #"{"url": "\#(url)", "events": [\#(list)]}"#)
        #expect(response.status == .created, "\(response.text)")
        return try response.json()
    }
}
