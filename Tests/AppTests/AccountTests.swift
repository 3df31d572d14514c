@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct AccountTests {
    @Test(arguments: TestDatabase.all)
    func signingUpMakesTheUserOwnerOfANewWorkspace(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let browser = Browser(app)
            try await browser.get("/signup")
            let response = try await browser.post("/signup", ["email": " Ana@Example.com ", "password": "flour and water", "workspace": "Corner Bakery"])
            #expect(response.status == .seeOther)

            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.email == "ana@example.com")
            #expect(user.passwordHash.hasPrefix("$2"), "passwords are stored as Bcrypt hashes")
            let membership = try #require(try await Membership.query(on: app.db).with(\.$workspace).first())
            #expect(membership.role == .owner)
            #expect(membership.workspace.name == "Corner Bakery")
            #expect(response.location == "/workspaces/\(try membership.workspace.requireID())")

            let dashboard = try await browser.get(try #require(response.location))
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("ana@example.com"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func signUpFormShowsInlineErrorsKeepsWhatWasTypedAndStoresNothing(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let browser = Browser(app)
            try await browser.get("/signup")
            let response = try await browser.post("/signup", ["email": "not-an-email", "password": "short", "workspace": "Bakery <Main>"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("Enter an email address"))
            #expect(response.text.contains("Use at least 8 characters."))
            #expect(response.text.contains(#"value="not-an-email""#))
            #expect(response.text.contains("Bakery &lt;Main&gt;"), "typed values come back, escaped")
            #expect(try await User.query(on: app.db).count() == 0)
            #expect(try await Workspace.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTakenEmailIsRefusedInline(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            _ = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.get("/signup")
            let response = try await browser.post("/signup", ["email": "ANA@example.com", "password": "long enough pw", "workspace": "Two"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("already exists"))
            #expect(try await User.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func logInAndLogOutWithSessionsKeptInTheDatabase(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            #expect(try await browser.get("/").location?.hasPrefix("/login") == true, "signed-out visitors go to the login page")

            let before = try await browser.get("/login")
            let anonymousCookie = browser.cookie
            #expect(before.status == .ok)
            try await browser.logIn("ana@example.com", ana.password)
            #expect(browser.cookie != nil)
            #expect(browser.cookie != anonymousCookie, "signing in starts a new session id")
            let stored = try await WebSession.query(on: app.db).all()
            let cookie = try #require(browser.cookie)
            #expect(stored.contains { $0.keyHash == SecretToken.hash(cookie) && $0.data[SessionKeys.user] == ana.user.id?.uuidString })
            #expect(!stored.contains { $0.keyHash == cookie }, "only the hash of the session id is stored")

            #expect(try await browser.get("/workspaces/\(ana.workspaceID)").status == .ok)
            let out = try await browser.post("/logout")
            #expect(out.status == .seeOther)
            #expect(browser.cookie == nil)
            #expect(try await browser.get("/workspaces/\(ana.workspaceID)").location?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func browsingDoesNotRewriteTheSessionOnEveryPage(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let before = try #require(try await WebSession.query(on: app.db).first())
            before.expiresAt = before.expiresAt.addingTimeInterval(-60)
            try await before.save(on: app.db)
            try await browser.get("/account/tokens")
            #expect(try await WebSession.query(on: app.db).first()?.expiresAt == before.expiresAt, "an unchanged session is not written")
            // A change is written at once.
            try await browser.get("/workspaces/new")
            try await browser.post("/workspaces", ["name": "Second"])
            let switched = try #require(try await Workspace.query(on: app.db).filter(\.$name == "Second").first())
            try await browser.get("/workspaces/\(switched.requireID())")
            #expect(try await WebSession.query(on: app.db).first()?.data[SessionKeys.lastWorkspace] == switched.id?.uuidString)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExpiredSessionNoLongerSignsIn(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            #expect(try await browser.get("/workspaces/\(ana.workspaceID)").status == .ok)
            for session in try await WebSession.query(on: app.db).all() {
                session.expiresAt = Date().addingTimeInterval(-1)
                try await session.save(on: app.db)
            }
            #expect(try await browser.get("/workspaces/\(ana.workspaceID)").location?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongPasswordGivesAClearMessageAndNoSession(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            _ = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.get("/login")
            let response = try await browser.post("/login", ["email": "ana@example.com", "password": "wrong password"])
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("do not match an account"))
            #expect(response.text.contains(#"value="ana@example.com""#))
            #expect(try await browser.get("/").location?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func repeatedFailedLoginsForOneAccountAreSlowedWith429(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.get("/login")
            for _ in 0..<LoginThrottle.accountLimit {
                #expect(try await browser.post("/login", ["email": "ana@example.com", "password": "guess"]).status == .unauthorized)
            }
            // Even the right password waits now: the guesser must not learn it was right.
            let slowed = try await browser.post("/login", ["email": "ana@example.com", "password": ana.password])
            #expect(slowed.status == .tooManyRequests)
            #expect(slowed.text.contains("Too many failed sign-in attempts"))
            #expect(Int(slowed.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func repeatedFailedLoginsFromOneAddressAreSlowedWith429(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let account = AccountService(db: app.db, passwords: PasswordHashing(application: app))
            for attempt in 0..<LoginThrottle.addressLimit {
                await #expect(throws: ServiceError.self) {
                    _ = try await account.authenticate(email: "user\(attempt)@example.com", password: "guess", address: "203.0.113.9")
                }
            }
            do {
                _ = try await account.authenticate(email: "someone-else@example.com", password: "guess", address: "203.0.113.9")
                Issue.record("expected 429")
            } catch let error as ServiceError {
                #expect(error.status == .tooManyRequests)
            }
            // Another address is not affected.
            do {
                _ = try await account.authenticate(email: "someone-else@example.com", password: "guess", address: "198.51.100.7")
            } catch let error as ServiceError {
                #expect(error.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func stateChangingFormsWithoutTheCSRFTokenAreRefused(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            let forged = try await browser.post("/workspaces", ["name": "Forged"], csrf: false)
            #expect(forged.status == .forbidden)
            let wrong = try await browser.post("/workspaces", ["name": "Forged", "_csrf": "not-the-token"])
            #expect(wrong.status == .forbidden)
            #expect(try await Workspace.query(on: app.db).filter(\.$name == "Forged").count() == 0)
            #expect(try await browser.post("/workspaces", ["name": "Real"]).status == .seeOther)
        }
    }

    /// Reads the route table, so a form added later is covered without being listed here.
    @Test(arguments: TestDatabase.all)
    func everyStateChangingWebRouteRefusesARequestWithoutTheCSRFToken(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com", workspace: "Bakery")
            let (invitation, token) = try await InvitationService(db: app.db).create(for: ana.workspace, by: ana.user)
            let post = try await app.wiring.posts(on: app.db).create(.init(text: "Draft", thread: []), in: ana.workspace, by: ana.user)
            let values = [
                WorkspaceMembership.parameter: ana.workspaceID, "member": try ana.user.requireID().uuidString,
                "invitation": try invitation.requireID().uuidString, "token": token, "post": try post.requireID().uuidString,
            ]
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            // A WebSub hub's callback carries no session: the push's signature is its guard (FeedWebSubTests);
            // a shop's site reports conversions with its public key, from any origin (ConversionTests).
            let posts = app.routes.all.filter {
                ![.GET, .HEAD, .OPTIONS].contains($0.method) && !["api", "websub", "t"].contains($0.path.first?.description)
            }
            #expect(posts.count >= 10)
            for route in posts {
                let path = "/" + route.path.map { component -> String in
                    if case let .parameter(name) = component { return values[name] ?? UUID().uuidString }
                    return component.description
                }.joined(separator: "/")
                let response = try await browser.post(path, ["name": "Changed", "confirm": "Bakery", "email": "ana@example.com", "password": ana.password], csrf: false)
                #expect(response.status == .forbidden, "\(route.method) \(path) answered \(response.status)")
            }
            #expect(try await Workspace.find(ana.workspace.id, on: app.db)?.name == "Bakery")
            #expect(try await Invitation.query(on: app.db).count() == 1)
            #expect(try await Post.query(on: app.db).first()?.text == "Draft")
            #expect(try await browser.get("/workspaces/\(ana.workspaceID)").status == .ok, "still signed in")
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionCookieIsHttpOnlyLaxAndSecureOverHTTPS(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            for name in ["trestle_session", "trestle_csrf"] {
                let cookie = try #require(browser.setCookieHeaders[name])
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                #expect(!cookie.contains("Secure"))
            }
        }
        try await withTrestle(database, publicURL: URL(string: "https://social.example.com")) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            #expect(try #require(browser.setCookieHeaders["trestle_session"]).contains("Secure"))
            #expect(try #require(browser.setCookieHeaders["trestle_csrf"]).contains("Secure"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func logInReturnsToThePageAskedForButNeverToAnotherSite(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.get("/login")
            let back = try await browser.post("/login", ["email": "ana@example.com", "password": ana.password, "next": "/account/tokens"])
            #expect(back.location == "/account/tokens")
            try await browser.get("/account/tokens")
            try await browser.post("/logout")
            try await browser.get("/login")
            let away = try await browser.post("/login", ["email": "ana@example.com", "password": ana.password, "next": "//evil.example"])
            #expect(away.location == "/")
        }
    }
}
