@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Notifications by email, through the operator's SMTP server (a loopback fake here): sent to the
/// members who asked for them, once, with nothing of a person's text able to add a header; a
/// refusal ends the job with the server's reason, a server that is down or silent is tried again.
@Suite struct MailTests {
    static func mailer(_ fake: FakeSMTPServer) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: fake.port, username: "mailer", password: "s3cret", from: "trestle@bakery.example")
    }

    @Test(arguments: TestDatabase.all)
    func aMemberWhoAskedForEmailGetsOneForAMentionAndOthersDoNot(_ database: TestDatabase) async throws {
        try await FakeSMTPServer.with { smtp in
            try await withTrestle(database, publicURL: URL(string: "https://trestle.bakery.example")) { app in
                app.wiring.smtp = Self.mailer(smtp)
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                let cat = try await app.joinAnasWorkspace(ana, as: "cat@example.com")
                #expect(try await app.api(.GET, "/api/v1/notifications/settings", as: cat).json()["email"] as? Bool == false, "off until asked for")
                #expect(try await app.api(.PATCH, "/api/v1/notifications/settings", as: cat, json: #"{"email": true}"#).json()["email"] as? Bool == true)
                let draft = try await app.createPost(ana, #"{"text": "Bee sting cake"}"#)
                let postID = try #require(draft["id"] as? String)
                let comment = #"{"text": "@cat @ana the honey is local"}"#
                #expect(try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts/\(postID)/comments", as: ben, json: comment).status == .created)

                #expect(try await app.runDueJobs(NotificationMailer.job) { job in try await app.wiring.mailer(on: app.db).send(job: job) } == 1)
                let mails = smtp.received.withLock { $0 }
                #expect(mails.count == 1, "only cat asked for email")
                let mail = try #require(mails.first)
                #expect(mail.to == ["cat@example.com"])
                #expect(mail.from == "trestle@bakery.example")
                #expect(mail.user == "mailer", "logged in with the operator's user")
                let (headers, body) = try Self.split(mail.data)
                #expect(Self.decodedSubject(headers) == "ben@example.com mentioned you in Workspace")
                #expect(body.contains("On Bee sting cake: @cat @ana the honey is local"))
                #expect(body.contains("https://trestle.bakery.example/workspaces/\(ana.workspaceID)/posts/\(postID)#comments"))
                #expect(try await app.runDueJobs(NotificationMailer.job) { job in try await app.wiring.mailer(on: app.db).send(job: job) } == 0, "once")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusalEndsTheEmailAndAServerThatIsDownIsAskedAgain(_ database: TestDatabase) async throws {
        try await FakeSMTPServer.with { smtp in
            try await withTrestle(database) { app in
                app.wiring.smtp = Self.mailer(smtp)
                let ana = try await app.makeMember("ana@example.com")
                let ben = try await app.joinAnasWorkspace(ana, as: "ben@example.com")
                _ = try await app.api(.PATCH, "/api/v1/notifications/settings", as: ana, json: #"{"email": true}"#)
                let draft = try await app.createPost(ana, #"{"text": "Apple strudel"}"#)
                let comments = "/api/v1/workspaces/\(ana.workspaceID)/posts/\(try #require(draft["id"] as? String))/comments"
                let send: @Sendable (JobQueue.Claimed) async throws -> JobOutcome = { job in try await app.wiring.mailer(on: app.db).send(job: job) }

                smtp.mood.withLock { $0 = .busy }
                _ = try await app.api(.POST, comments, as: ben, json: #"{"text": "@ana raisins?"}"#)
                _ = try await app.runDueJobs(NotificationMailer.job, send)
                let waiting = try #require(try await Self.jobs(app).first)
                #expect(waiting.failedAt == nil, "tried again later")
                #expect(waiting.error?.contains("421") == true, "\(waiting.error ?? "")")

                smtp.mood.withLock { $0 = .refuseRecipients }
                try await (app.db as! any SQLDatabase).raw("UPDATE jobs SET run_at = \(bind: Date().addingTimeInterval(-1))").run()
                _ = try await app.runDueJobs(NotificationMailer.job, send)
                let ended = try #require(try await Self.jobs(app).first)
                #expect(ended.failedAt != nil, "a 5xx is for good")
                #expect(ended.error?.contains("550") == true, "\(ended.error ?? "")")
                #expect(smtp.received.withLock { $0.isEmpty })
            }
        }
    }

    @Test func aSilentServerIsGivenUpOnInTime() async throws {
        try await FakeSMTPServer.with { smtp in
            smtp.mood.withLock { $0 = .silent }
            var client = SMTPClient(settings: Self.mailer(smtp))
            client.timeout = .milliseconds(500)
            // The deadline ends it — not the server, which never answers nor hangs up. (How soon
            // is the machine's: with the whole suite running on two cores, seconds late.)
            do {
                try await client.send(MailMessage(to: "ana@example.com", subject: "Hi", body: "Hi"))
                Issue.record("a server that never greeted took the email")
            } catch let error as SMTPError {
                guard case let .temporary(reason) = error else {
                    Issue.record("refused rather than timed out: \(error)")
                    return
                }
                #expect(reason.hasPrefix("no answer within"), "\(reason)")
            }
        }
    }

    @Test func nothingOfAPersonsTextBecomesAHeader() throws {
        let hostile = "Ana's\r\nBcc: everyone@example.com\nX-Evil: 1 — Bäckerei"
        let data = MailText.data(of: MailMessage(to: "ben@example.com", subject: hostile, body: "Hi\r\n.\r\nQUIT"), from: "trestle@bakery.example", now: Date())
        let (headers, body) = try Self.split(data)
        #expect(!headers.contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("X-Evil:") })
        #expect(Self.decodedSubject(headers) == "Ana's  Bcc: everyone@example.com X-Evil: 1 — Bäckerei")
        #expect(body == "Hi\r\n.\r\nQUIT", "the body travels in base64, where no line is a lone dot")
        #expect(!data.split(separator: "\r\n").dropLast().contains("."))
        #expect(!SMTPSettings.isAddress("ana@example.com>\r\nRCPT TO:<eve@example.com"))
    }

    @Test func theMailSettingsAreCheckedAtStart() throws {
        #expect(try SMTPSettings.from(url: nil, from: nil) == nil)
        let parsed = try #require(try SMTPSettings.from(url: "smtps://mailer:p%40ss@mail.bakery.example", from: "trestle@bakery.example"))
        #expect(parsed == SMTPSettings(host: "mail.bakery.example", port: 465, implicitTLS: true, username: "mailer", password: "p@ss", from: "trestle@bakery.example"))
        #expect(try SMTPSettings.from(url: "smtp://127.0.0.1:2525", from: "t@b.example")?.port == 2525)
        #expect(throws: SettingsError.self) { try SMTPSettings.from(url: "http://mail.example", from: "t@b.example") }
        #expect(throws: SettingsError.self) { try SMTPSettings.from(url: "smtp://mail.example", from: nil) }
        #expect(throws: SettingsError.self) { try SMTPSettings.from(url: nil, from: "t@b.example") }
        #expect(throws: SettingsError.self) { try SMTPSettings.from(url: "smtp://mail.example", from: "Trestle <t@b.example>") }
    }

    // MARK: Reading what the fake received

    /// Headers and decoded body of DATA, as the server keeps it or (ending in its lone dot) as
    /// sent; "\r\n" is one Character, so the dot's line is two from the end.
    static func split(_ data: String) throws -> (headers: [String], body: String) {
        let parts = (data.hasSuffix("\r\n.") ? String(data[..<data.index(data.endIndex, offsetBy: -2)]) : data).components(separatedBy: "\r\n\r\n")
        let headers = parts[0].components(separatedBy: "\r\n")
        let encoded = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "\r\n", with: "")
        return (headers, String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self))
    }

    /// The Subject header's encoded words, folded lines and all, decoded.
    static func decodedSubject(_ headers: [String]) -> String? {
        guard let start = headers.firstIndex(where: { $0.hasPrefix("Subject: ") }) else { return nil }
        var lines = [String(headers[start].dropFirst(9))]
        for line in headers[(start + 1)...] {
            guard line.hasPrefix(" ") else { break }
            lines.append(String(line.dropFirst()))
        }
        return lines.map { word -> String in
            let inner = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return Data(base64Encoded: String(inner)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }.joined()
    }

    static func jobs(_ app: Application) async throws -> [(error: String?, failedAt: Date?)] {
        try await (app.db as! any SQLDatabase).raw("SELECT last_error, failed_at FROM jobs WHERE kind = \(bind: NotificationMailer.job)").all().map {
            (try $0.decode(column: "last_error", as: String?.self), try $0.decode(column: "failed_at", as: Date?.self))
        }
    }
}
