import Crypto
import Feeds
import Fluent
import Foundation
import Networks
import Vapor

/// WebSub (W3C): where a feed names a hub, Trestle asks it to push new versions to
/// `{TRESTLE_PUBLIC_URL}/websub/{subscription}`, answers its verification, takes pushes signed
/// with the subscription's secret, and renews before the lease ends. Polling goes on beside it
/// as the fallback, so a hub that stops pushing loses nothing.
extension FeedBridgeService {
    /// The lease asked for; the hub may grant another, which is used as granted within `leaseRange`.
    static let webSubLease = 10 * 86_400
    static let leaseRange = 60...(30 * 86_400)
    /// A lease is renewed when it ends within this; a request that got no verification is
    /// asked again after it.
    static let renewBefore: TimeInterval = 86_400
    /// Pushes are read up to this size, like a fetched feed.
    static let longestPush = FeedFetcher.maximumBytes

    /// Asks `hub` to push `topic` when Trestle has a public address and the lease is missing or
    /// ends soon. A hub that refuses or cannot be reached is logged; polling goes on.
    func requestWebSubIfDue(for subscription: FeedSubscription, hub: URL?, topic: URL?, logger: Logger) async throws {
        guard let base = wiring.publicURL, let hub, let topic, let id = subscription.id else { return }
        let now = wiring.clock.now()
        let sameHub = subscription.hubURL == hub.absoluteString && subscription.topicURL == topic.absoluteString
        if sameHub {
            if let expires = subscription.webSubExpiresAt, expires.timeIntervalSince(now) > Self.renewBefore { return }
            if let asked = subscription.webSubRequestedAt, now.timeIntervalSince(asked) < Self.renewBefore,
               subscription.webSubExpiresAt.map({ $0 > now }) ?? true { return }
        }
        let secret: String
        if sameHub, let sealed = subscription.sealedWebSubSecret {
            secret = try wiring.sealer.open(String.self, sealed, for: id)
        } else {
            secret = SecretToken.generate(prefix: "").value
        }
        let callback = base.appendingPathComponent("websub").appendingPathComponent(id.uuidString.lowercased())
        var form = URLComponents()
        form.queryItems = [
            .init(name: "hub.mode", value: "subscribe"), .init(name: "hub.topic", value: topic.absoluteString),
            .init(name: "hub.callback", value: callback.absoluteString), .init(name: "hub.lease_seconds", value: String(Self.webSubLease)),
            .init(name: "hub.secret", value: secret),
        ]
        // `+` stays literal in URLComponents' query; a form body needs it escaped.
        let body = (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        subscription.hubURL = hub.absoluteString
        subscription.topicURL = topic.absoluteString
        subscription.sealedWebSubSecret = try wiring.sealer.seal(secret, for: id)
        subscription.webSubRequestedAt = now
        if !sameHub { subscription.webSubExpiresAt = nil }
        // Stored before asking: the hub may verify before it answers this request.
        try await subscription.save(on: db)
        do {
            let response = try await wiring.http.send(.POST, hub, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(body.utf8))
            if !(200..<300).contains(response.status) {
                logger.notice("WebSub hub refused a subscription", metadata: ["hub": .string(hub.absoluteString), "status": .string(String(response.status))])
            }
        } catch let error as NetworkError {
            logger.notice("WebSub hub could not be asked", metadata: ["hub": .string(hub.absoluteString), "error": .string(error.description)])
        }
    }

    /// The job that tells a hub to stop pushing a feed no longer followed.
    static let unsubscribeJob = "feed.websub-unsubscribe"

    private struct HubRequest: Codable {
        var hub: String
        var topic: String
        var callback: String
    }

    /// Queues the hub's unsubscription for a subscription that is going, when it has one.
    func requestWebSubEnd(for subscription: FeedSubscription) async throws {
        guard let base = wiring.publicURL, let hub = subscription.hubURL, let topic = subscription.topicURL, let id = subscription.id else { return }
        let callback = base.appendingPathComponent("websub").appendingPathComponent(id.uuidString.lowercased())
        let payload = String(decoding: try JSONEncoder().encode(HubRequest(hub: hub, topic: topic, callback: callback.absoluteString)), as: UTF8.self)
        try await wiring.jobs(on: db).enqueue(Self.unsubscribeJob, payload: payload)
    }

    /// Asks the hub to stop; it verifies with Trestle, which confirms for a subscription it no
    /// longer has. A hub that is down is asked again later (the job runner's backoff); one that
    /// refuses is left: its lease runs out and its pushes are answered 404.
    func endWebSub(job: JobQueue.Claimed) async throws -> JobOutcome {
        guard let request = try? JSONDecoder().decode(HubRequest.self, from: Data(job.payload.utf8)), let hub = URL(string: request.hub) else {
            return .failed("The unsubscription could not be read.")
        }
        var form = URLComponents()
        form.queryItems = [
            .init(name: "hub.mode", value: "unsubscribe"), .init(name: "hub.topic", value: request.topic),
            .init(name: "hub.callback", value: request.callback),
        ]
        let body = (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let response = try await wiring.http.send(.POST, hub, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(body.utf8))
        switch response.status {
        case 200..<300: return .done
        case 429, 500...: throw NetworkError.unreachable(host: hub.host ?? request.hub, reason: "it answered \(response.status)")
        default: return .failed("The hub refused to unsubscribe (\(response.status)); its lease runs out instead.")
        }
    }

    /// The hub's verification of intent: the challenge to echo, or `notFound` when Trestle did
    /// not ask for this.
    func verifyWebSub(_ id: UUID, mode: String?, topic: String?, challenge: String?, leaseSeconds: String?, reason: String?) async throws -> String {
        let subscription = try await FeedSubscription.find(id, on: db)
        let matches = subscription.map { $0.topicURL != nil && $0.topicURL == topic } ?? false
        switch mode {
        case "subscribe":
            guard let subscription, matches, let challenge, !challenge.isEmpty, challenge.utf8.count <= 1_024,
                  let seconds = leaseSeconds.flatMap({ Int($0) }), Self.leaseRange.contains(seconds) else { throw ServiceError.notFound("This subscription") }
            subscription.webSubExpiresAt = wiring.clock.now().addingTimeInterval(TimeInterval(seconds))
            try await subscription.save(on: db)
            return challenge
        case "unsubscribe":
            // Trestle wants no pushes for a subscription it no longer has.
            guard subscription == nil, let challenge, !challenge.isEmpty, challenge.utf8.count <= 1_024 else { throw ServiceError.notFound("This subscription") }
            return challenge
        case "denied":
            guard let subscription, matches else { throw ServiceError.notFound("This subscription") }
            subscription.webSubExpiresAt = nil
            subscription.lastError = "The feed's hub refused to push it (\(String((reason ?? "no reason given").prefix(200)))); Trestle polls it instead."
            try await subscription.save(on: db)
            return ""
        default:
            throw ServiceError.notFound("This subscription")
        }
    }

    /// A push from the hub: checked against the subscription's secret (`X-Hub-Signature:
    /// sha256=…`), then read and taken like a poll's feed, in one transaction.
    func receiveWebSub(_ id: UUID, body: Data, signature: String?, contentType: String?) async throws {
        guard let subscription = try await FeedSubscription.find(id, on: db), let sealed = subscription.sealedWebSubSecret,
              let topic = subscription.topicURL.flatMap(URL.init(string:)) else { throw ServiceError.notFound("This subscription") }
        let secret = try wiring.sealer.open(String.self, sealed, for: id)
        guard let signature, Self.signatureMatches(signature, body: body, secret: secret) else {
            throw ServiceError.forbidden("The push is not signed with this subscription's secret (X-Hub-Signature: sha256=…); it was ignored.")
        }
        let feed = try FeedReader.parse(body, url: topic, contentType: contentType)
        try await db.transaction { db in
            guard let workspace = try await Workspace.find(subscription.$workspace.id, on: db) else { return }
            let note = try await FeedBridgeService(db: db, wiring: wiring).take(feed, for: subscription, in: workspace, posting: nil)
            subscription.lastError = note
            try await subscription.save(on: db)
        }
    }

    static func signatureMatches(_ header: String, body: Data, secret: String) -> Bool {
        let parts = header.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "sha256", parts[1].utf8.count == 64 else { return false }
        let expected = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
        // Every character compared, so the time taken says nothing about the secret.
        return zip(expected.utf8, parts[1].lowercased().utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
