@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Outgoing webhooks: signed calls for published and failed deliveries, retried with backoff
/// and logged, their secret shown once, each workspace's its own.
@Suite struct WebhookTests {
    @Test(arguments: TestDatabase.all)
    func aPublishedDeliveryIsPostedSignedWithItsData(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeWebhookReceiver.with { receiver in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let webhook = try await app.addWebhook(ana, url: receiver.url)
                    let secret = try #require(webhook["secret"] as? String)
                    let channel = try await app.connectMastodon(ana, mastodon)
                    let post = try await app.createPost(ana, #"{"text": "Rye is out of the oven", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                    let postID = try #require(post["id"] as? String)
                    #expect(receiver.calls.isEmpty, "nothing is sent before anything happens")

                    try await app.publishDueDeliveries()
                    #expect(try await app.sendDueWebhooks() == 1)

                    let call = try #require(receiver.calls.first)
                    #expect(receiver.calls.count == 1)
                    #expect(call.contentType == "application/json")
                    let (t, v1) = try call.signatureParts()
                    #expect(v1 == expectedWebhookSignature(secret: secret, t: t, body: call.body), "the signature verifies over t and the raw body")
                    #expect(v1 != expectedWebhookSignature(secret: "whsec_wrong", t: t, body: call.body))
                    #expect(abs((Double(t) ?? 0) - Date().timeIntervalSince1970) < 120, "t is the time of the call in unix seconds")

                    let event = try call.json()
                    #expect(event["type"] as? String == "delivery.published")
                    #expect((event["id"] as? String)?.isEmpty == false)
                    #expect(event["createdAt"] is String)
                    let data = try #require(event["data"] as? [String: Any])
                    #expect(data["post"] as? String == postID)
                    #expect(data["workspace"] as? String == ana.workspaceID)
                    let delivery = try #require(data["delivery"] as? [String: Any])
                    let shown = try #require(try await app.deliveries(of: postID, ana).first)
                    #expect(delivery["id"] as? String == shown["id"] as? String)
                    #expect(delivery["state"] as? String == "published")
                    #expect(delivery["channel"] as? String == channel)
                    #expect(delivery["remoteURL"] as? String == shown["remoteURL"] as? String)
                    #expect(delivery["publishedAt"] is String)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailedDeliverySendsDeliveryFailedWithTheReasonOnlyToWebhooksThatWantIt(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeWebhookReceiver.with { failures in
                try await FakeWebhookReceiver.with { publications in
                    try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                        let ana = try await app.makeMember("ana@example.com")
                        _ = try await app.addWebhook(ana, url: failures.url, events: ["delivery.failed"])
                        _ = try await app.addWebhook(ana, url: publications.url, events: ["delivery.published"])
                        let channel = try await app.connectMastodon(ana, mastodon)
                        mastodon.controls.postFailures.withLock { $0 = [.unprocessableEntity] }
                        let post = try await app.createPost(ana, #"{"text": "Sourdough class on Sunday", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                        let postID = try #require(post["id"] as? String)

                        try await app.publishDueDeliveries()
                        let shown = try #require(try await app.deliveries(of: postID, ana).first)
                        #expect(shown["state"] as? String == "failed")
                        let reason = try #require(shown["error"] as? String)
                        #expect(try await app.sendDueWebhooks() == 1)

                        #expect(publications.calls.isEmpty, "a webhook that wants only publications hears nothing of a failure")
                        let event = try #require(failures.calls.first).json()
                        #expect(event["type"] as? String == "delivery.failed")
                        let delivery = try #require((event["data"] as? [String: Any])?["delivery"] as? [String: Any])
                        #expect(delivery["state"] as? String == "failed")
                        #expect(delivery["error"] as? String == reason, "the reason a person can act on")
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReceiverAnswering500TwiceGetsTheEventOnTheThirdTryAfterBackoff(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeWebhookReceiver.with(failingFirst: 2) { receiver in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let clock = ManualClock(Date())
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    let webhook = try await app.addWebhook(ana, url: receiver.url)
                    let webhookID = try #require(webhook["id"] as? String)
                    let channel = try await app.connectMastodon(ana, mastodon)
                    _ = try await app.createPost(ana, #"{"text": "Pretzels till noon", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                    try await app.publishDueDeliveries()

                    // MUT: 500, wait, 500, wait longer, 204.
                    #expect(try await app.sendDueWebhooks() == 1)
                    #expect(try await app.sendDueWebhooks() == 0, "not again before its backoff has passed")
                    clock.advance(by: 7)
                    #expect(try await app.sendDueWebhooks() == 1)
                    clock.advance(by: 7)
                    #expect(try await app.sendDueWebhooks() == 0, "the second wait is longer than the first")
                    clock.advance(by: 6)
                    #expect(try await app.sendDueWebhooks() == 1)
                    clock.advance(by: 3600)
                    #expect(try await app.sendDueWebhooks() == 0, "done once it arrived")

                    // validate
                    let calls = receiver.calls
                    #expect(calls.count == 3)
                    #expect(Set(calls.map(\.body)).count == 1, "the same event, byte for byte, on every try")
                    let last = try calls[2].signatureParts()
                    #expect(last.t == String(Int(clock.now().addingTimeInterval(-3600).timeIntervalSince1970)), "each try is signed at its own time")
                    let shown = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/webhooks/\(webhookID)", as: ana).json()
                    let attempts = try #require(shown["attempts"] as? [[String: Any]])
                    #expect(attempts.map { $0["statusCode"] as? Int } == [204, 500, 500], "newest first")
                    #expect(attempts.map { $0["attempt"] as? Int } == [3, 2, 1])
                    #expect(attempts.map { $0["succeeded"] as? Bool } == [true, false, false])
                    #expect(Set(attempts.compactMap { $0["event"] as? String }).count == 1)
                    #expect(shown["secret"] == nil)

                    let browser = Browser(app)
                    try await browser.logIn("ana@example.com", ana.password)
                    let page = try await browser.get("/workspaces/\(ana.workspaceID)/webhooks")
                    #expect(page.status == .ok)
                    #expect(page.text.contains(receiver.url))
                    #expect(page.text.components(separatedBy: "HTTP 500").count - 1 == 2, "the page lists both refusals")
                    #expect(page.text.contains("HTTP 204"))
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReceiverThatNeverAcceptsIsGivenUpOnAfterEightTries(_ database: TestDatabase) async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeWebhookReceiver.with(failingFirst: 100) { receiver in
                try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                    let clock = ManualClock(Date())
                    app.wiring.clock = clock
                    let ana = try await app.makeMember("ana@example.com")
                    _ = try await app.addWebhook(ana, url: receiver.url)
                    let channel = try await app.connectMastodon(ana, mastodon)
                    _ = try await app.createPost(ana, #"{"text": "Closed on Monday", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                    try await app.publishDueDeliveries()
                    for _ in 0..<12 {
                        try await app.sendDueWebhooks()
                        clock.advance(by: 3600)
                    }
                    #expect(receiver.calls.count == WebhookService.mostAttempts)
                    #expect(try await app.wiring.jobs(on: app.db).pending(WebhookService.job) == 0, "given up, not pending for ever")
                    #expect(try await WebhookAttempt.query(on: app.db).count() == WebhookService.mostAttempts)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSecretIsShownOnceAndNeverReturnedAgain(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let created = try await app.addWebhook(ana, url: "https://hooks.example.com/trestle?shop=1")
            let secret = try #require(created["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && secret.count > 40)
            #expect(created["events"] as? [String] == ["delivery.published", "delivery.failed"])
            let id = try #require(created["id"] as? String)

            let list = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/webhooks", as: ana)
            #expect(list.status == .ok)
            #expect(try list.jsonArray().map { $0["id"] as? String } == [id])
            #expect(!list.text.contains(secret) && !list.text.contains("secret"))
            let one = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/webhooks/\(id)", as: ana)
            #expect(!one.text.contains(secret) && !one.text.contains("secret"))
            let stored = try #require(try await Webhook.query(on: app.db).first())
            #expect(stored.sealedSecret.range(of: Data(secret.utf8)) == nil, "sealed at rest")

            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let made = try await browser.post("/workspaces/\(ana.workspaceID)/webhooks", ["url": "https://crm.example.com/in", "events[]": "delivery.failed"])
            #expect(made.status == .created)
            let shownOnce = try #require(made.text.firstMatch(of: /value="(whsec_[A-Za-z0-9_-]+)"/)?.output.1)
            let again = try await browser.get("/workspaces/\(ana.workspaceID)/webhooks")
            #expect(again.text.contains("https://crm.example.com/in"))
            #expect(!again.text.contains(String(shownOnce)) && !again.text.contains(secret))
        }
    }

    @Test(arguments: TestDatabase.all)
    func addressesAndEventsAreCheckedAndCreatingCallsNothing(_ database: TestDatabase) async throws {
        try await FakeWebhookReceiver.with { receiver in
            try await withTrestle(database, fetchAllow: ["127.0.0.1"]) { app in
                let ana = try await app.makeMember("ana@example.com")
                let path = "/api/v1/workspaces/\(ana.workspaceID)/webhooks"
                for (body, field) in [
                    (#"{"url": "ftp://files.example.com/in", "events": ["delivery.published"]}"#, "url"),
                    (#"{"url": "javascript:alert(1)", "events": ["delivery.published"]}"#, "url"),
                    (#"{"url": " https://example.com/in", "events": ["delivery.published"]}"#, "url"),
                    (#"{"url": "https://example.com/in", "events": []}"#, "events"),
                    (#"{"url": "https://example.com/in", "events": ["post.created"]}"#, "events"),
                ] {
                    let response = try await app.api(.POST, path, as: ana, json: body)
                    #expect(response.status == .unprocessableEntity, "\(body)")
                    #expect(try response.apiError().fields[field] != nil, "\(body): \(response.text)")
                }
                for index in 0..<WebhookService.mostPerWorkspace {
                    _ = try await app.addWebhook(ana, url: receiver.url + "?n=\(index)")
                }
                let eleventh = try await app.api(.POST, path, as: ana, json: #"{"url": "https://example.com/in", "events": ["delivery.failed"]}"#)
                #expect(eleventh.status == .unprocessableEntity)
                #expect(try await Webhook.query(on: app.db).count() == WebhookService.mostPerWorkspace)
                #expect(receiver.calls.isEmpty, "adding a webhook never calls it")
                #expect(try await app.wiring.jobs(on: app.db).pending(WebhookService.job) == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anotherWorkspacesWebhookIsNotFound(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let victim = try await app.makeMember("victim@example.com", workspace: "Victim")
            let intruder = try await app.makeMember("intruder@example.com", workspace: "Intruder")
            let id = try #require(try await app.addWebhook(victim, url: "https://victim.example.com/in")["id"] as? String)
            for method in [HTTPMethod.GET, .DELETE] {
                let own = try await app.api(method, "/api/v1/workspaces/\(intruder.workspaceID)/webhooks/\(id)", as: intruder)
                #expect(own.status == .notFound, "through the intruder's own workspace")
                let theirs = try await app.api(method, "/api/v1/workspaces/\(victim.workspaceID)/webhooks/\(id)", as: intruder)
                #expect(theirs.status == .notFound)
            }
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(intruder.workspaceID)/webhooks", as: intruder).jsonArray().isEmpty)
            #expect(try await Webhook.query(on: app.db).count() == 1)
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(victim.workspaceID)/webhooks/\(id)", as: victim).status == .noContent)
            #expect(try await Webhook.query(on: app.db).count() == 0)
        }
    }

    /// A webhook is an address a person typed: private and loopback addresses are refused when
    /// the call is made, like any other outbound call, and the log says why.
    @Test func aWebhookToALocalAddressIsRefusedWhenCalled() async throws {
        try await FakeMastodon.with { mastodon in
            try await FakeWebhookReceiver.with { receiver in
                try await withTrestle(.sqlite, fetchAllow: ["127.0.0.1"]) { app in
                    let ana = try await app.makeMember("ana@example.com")
                    let local = receiver.url.replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2")
                    let webhook = try await app.addWebhook(ana, url: local)
                    let channel = try await app.connectMastodon(ana, mastodon)
                    _ = try await app.createPost(ana, #"{"text": "Fresh bagels", "channels": ["\#(channel)"], "schedule": {"now": true}}"#)
                    try await app.publishDueDeliveries()
                    #expect(try await app.sendDueWebhooks() == 1)
                    #expect(receiver.calls.isEmpty)
                    let shown = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/webhooks/\(try #require(webhook["id"] as? String))", as: ana).json()
                    let attempt = try #require((shown["attempts"] as? [[String: Any]])?.first)
                    #expect(attempt["statusCode"] == nil)
                    #expect((attempt["error"] as? String)?.contains("private or local address") == true, "\(attempt)")
                }
            }
        }
    }
}
