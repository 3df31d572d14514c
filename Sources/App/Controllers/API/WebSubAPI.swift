import Vapor

/// The callback a WebSub hub calls: its verification GET and its signed content POSTs. Public,
/// as hubs carry no token: the subscription's id in the path and its secret are the guard.
enum WebSubAPI {
    @Sendable static func verify(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter("subscription")
        let challenge = try await req.wiring.feedBridge(on: req.db).verifyWebSub(
            id, mode: req.query[String.self, at: "hub.mode"], topic: req.query[String.self, at: "hub.topic"],
            challenge: req.query[String.self, at: "hub.challenge"], leaseSeconds: req.query[String.self, at: "hub.lease_seconds"],
            reason: req.query[String.self, at: "hub.reason"]
        )
        return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: challenge))
    }

    @Sendable static func receive(_ req: Request) async throws -> HTTPStatus {
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        try await req.wiring.feedBridge(on: req.db).receiveWebSub(
            req.uuidParameter("subscription"), body: body, signature: req.headers.first(name: "X-Hub-Signature"), contentType: req.headers.first(name: .contentType)
        )
        return .noContent
    }
}
