@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// What anyone who can reach the sign-in pages could otherwise do: guess passwords in parallel
/// past the throttle, make accounts without end, fill the sessions table, or bounce a signed-in
/// person to another site.
@Suite struct AbuseResistanceTests {
    @Test(arguments: TestDatabase.all)
    func fortyParallelWrongPasswordsReachTheHashAtMostFiveTimes(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            _ = try await app.makeMember("ana@example.com")
            let account = AccountService(db: app.db, passwords: PasswordHashing(application: app))
            let outcomes = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for attempt in 0..<40 {
                    group.addTask {
                        do {
                            _ = try await account.authenticate(email: "ana@example.com", password: "guess \(attempt)", address: "203.0.113.\(attempt)")
                            return .ok
                        } catch let error as ServiceError {
                            return error.status
                        }
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            let tried = outcomes.filter { $0 == .unauthorized }.count
            // Under a burst every attempt may be refused: none is checked until the burst is over.
            #expect(tried <= LoginThrottle.accountLimit, "\(tried) guesses were checked")
            #expect(outcomes.filter { $0 == .tooManyRequests }.count == 40 - tried)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedAttemptDoesNotKeepTheAccountLockedAndTheRightPasswordClearsIt(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let account = AccountService(db: app.db, passwords: PasswordHashing(application: app))
            for _ in 0..<(LoginThrottle.accountLimit + 10) {
                _ = try? await account.authenticate(email: "ana@example.com", password: "guess", address: nil)
            }
            #expect(try await LoginFailure.query(on: app.db).count() == LoginThrottle.accountLimit, "refused attempts are taken back")
            try await LoginFailure.query(on: app.db).delete()
            _ = try? await account.authenticate(email: "ana@example.com", password: "guess", address: "198.51.100.1")
            _ = try await account.authenticate(email: "ana@example.com", password: ana.password, address: "198.51.100.1")
            let left = try await LoginFailure.query(on: app.db).all().map(\.subject)
            #expect(left == ["address:198.51.100.1"], "only the failed attempt's address row stays")
        }
    }

    @Test(arguments: TestDatabase.all)
    func signUpIsThrottledPerAddress(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let account = AccountService(db: app.db, passwords: PasswordHashing(application: app))
            func signUp(_ n: Int, from address: String) async throws {
                _ = try await account.signUp(.init(email: "person\(n)@example.com", password: "correct horse 1", workspaceName: "Shop \(n)", address: address))
            }
            for n in 0..<LoginThrottle.signUpLimit { try await signUp(n, from: "203.0.113.7") }
            do {
                try await signUp(100, from: "203.0.113.7")
                Issue.record("expected 429")
            } catch let error as ServiceError {
                #expect(error.status == .tooManyRequests)
                #expect(Int(error.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            }
            #expect(try await User.query(on: app.db).filter(\.$email == "person100@example.com").count() == 0)
            try await signUp(101, from: "198.51.100.7")
        }
    }

    @Test func theSignUpFormSaysWhenTheAddressMadeTooManyAccounts() async throws {
        try await withTrestle(.sqlite) { app in
            for n in 0..<LoginThrottle.signUpLimit {
                try await LoginFailure(subject: LoginThrottle.signUpSubject("127.0.0.1"), occurredAt: Date()).create(on: app.db)
                _ = n
            }
            let browser = Browser(app, method: .running(hostname: "127.0.0.1", port: 0))
            try await browser.get("/signup")
            let response = try await browser.post("/signup", ["email": "late@example.com", "password": "correct horse 1", "workspace": "Late"])
            #expect(response.status == .tooManyRequests)
            #expect(response.text.contains("Too many accounts were made from your address"))
            #expect(response.text.contains(#"value="late@example.com""#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func visitorsPagesStoreNoSession(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            for _ in 0..<200 {
                #expect(try await app.testing().sendRequest(.GET, "/login").status == .ok)
            }
            try await Browser(app).get("/signup")
            #expect(try await WebSession.query(on: app.db).count() == 0)
            // The login form still round-trips its CSRF token, through the visitor's cookie.
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            #expect(try await WebSession.query(on: app.db).count() == 1)
            #expect(try await browser.get("/account/tokens").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aVisitorsFormWithoutItsCookieOrWithAnotherTokenIsRefused(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let page = try await app.testing().sendRequest(.GET, "/login")
            let token = try #require(Browser.csrfToken(in: page.text))
            let form = "email=ana%40example.com&password=\(Browser.encode(ana.password))&_csrf=\(token)"
            let withoutCookie = try await app.testing().sendRequest(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
            #expect(withoutCookie.status == .forbidden)
            let otherCookie = try await app.testing().sendRequest(.POST, "/login", headers: [
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": "trestle_csrf=\(String(repeating: "a", count: 43))",
            ], body: ByteBuffer(string: form))
            #expect(otherCookie.status == .forbidden)
            let matching = try await app.testing().sendRequest(.POST, "/login", headers: [
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": "trestle_csrf=\(token)",
            ], body: ByteBuffer(string: form))
            #expect(matching.status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theWorkerDeletesExpiredSessionsAndOldAttempts(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let now = Date()
            try await WebSession(keyHash: "old", data: [:], expiresAt: now.addingTimeInterval(-1)).create(on: app.db)
            try await WebSession(keyHash: "live", data: [:], expiresAt: now.addingTimeInterval(3600)).create(on: app.db)
            try await LoginFailure(subject: "account:x", occurredAt: now.addingTimeInterval(-2 * 3600)).create(on: app.db)
            try await LoginFailure(subject: "account:y", occurredAt: now.addingTimeInterval(-60)).create(on: app.db)
            try await Housekeeping(db: app.db).run(now: now)
            #expect(try await WebSession.query(on: app.db).all().map(\.keyHash) == ["live"])
            #expect(try await LoginFailure.query(on: app.db).all().map(\.subject) == ["account:y"])
        }
    }

    /// 60,000 characters of form arrive over a real socket in pieces; the CSRF field comes last.
    @Test func aLongDraftSavedThroughTheWebFormIsNotRefusedAsForged() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            try await browser.get("/workspaces/\(ana.workspaceID)/compose")
            let text = String(repeating: "Fresh sourdough every morning. ", count: 2_000)
            let saved = try await browser.postOverSocket("/workspaces/\(ana.workspaceID)/posts", inOrder: [("parts[]", text)])
            #expect(saved.status == .seeOther, "\(saved.status): \(saved.text.prefix(200))")
            #expect(try await Post.query(on: app.db).first()?.text.count == text.count)
            // A body larger than the route takes is refused as too large, not read without end.
            let huge = String(repeating: "x", count: 1_100_000)
            let refused = try await browser.postOverSocket("/workspaces/\(ana.workspaceID)/posts", inOrder: [("parts[]", huge)])
            #expect(refused.status == .payloadTooLarge)
        }
    }

    @Test(arguments: [
        "//evil.example", "/%09/evil.example".removingPercentEncoding!, "/\t/evil.example", "/\n/evil.example", "/\\evil.example",
        "\\\\evil.example", "https://evil.example", "evil.example", "/ /evil.example", "/\u{0}/evil.example", "/\u{200B}/evil.example",
        "/a//b", " /account", "",
    ])
    func redirectTargetsOtherThanASameSitePathAreRefused(_ target: String) {
        #expect(RedirectTarget.sameSitePath(target) == nil)
    }

    @Test(arguments: ["/", "/account/tokens", "/workspaces/1?tab=channels#top", "/caf%C3%A9"])
    func sameSitePathsAreKept(_ target: String) {
        #expect(RedirectTarget.sameSitePath(target) == target)
    }

    @Test func logInWithATabbedNextStaysOnTheSite() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            let page = try await browser.get("/login?next=/%09/evil.example")
            #expect(!page.text.contains("evil.example"))
            let away = try await browser.post("/login", ["email": "ana@example.com", "password": ana.password, "next": "/\t/evil.example"])
            #expect(away.location == "/")
        }
    }
}
