@testable import App
import AsyncHTTPClient
import Fluent
import Foundation
import NIOCore
import Testing
import TextRules
import Vapor

extension Application {
    /// Calls a Meta network's fake as an earlier attempt did, with the channel's token: a POST
    /// of a form to `/{version}/{path}`. Returns the id it answers.
    func callAsEarlierAttempt(_ fakeURL: String, _ path: String, _ form: [String: String], on network: TextRules.Network) async throws -> String {
        let channel = try #require(try await App.Channel.query(on: db).filter(\.$network == network).first())
        let token = try #require(try wiring.channels(on: db).credentials(of: channel).accessToken)
        var request = HTTPClientRequest(url: "\(fakeURL)/\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let fields = form.merging(["access_token": token]) { given, _ in given }
        request.body = .bytes(ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try #require((try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["id"] as? String, "\(String(buffer: body))")
    }

    /// Leaves a post's delivery as a worker that stopped mid-send would: `sending`, with the
    /// container it kept, where the network has containers.
    func stopSending(post: String, kept container: String? = nil) async throws {
        let delivery = try #require(try await Delivery.query(on: db).filter(\.$post.$id == UUID(uuidString: post)!).first())
        delivery.state = .sending
        delivery.sendingSince = Date().addingTimeInterval(-5)
        delivery.checkpoint = container.map { "0 \($0)" }
        try await delivery.save(on: db)
    }
}
