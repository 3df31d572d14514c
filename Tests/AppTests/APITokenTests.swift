@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct APITokenTests {
    @Test(arguments: TestDatabase.all)
    func aTokenMadeInTheWebUIIsShownOnceStoredHashedAndCanBeRevoked(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let browser = Browser(app)
            try await browser.logIn("ana@example.com", ana.password)
            try await browser.get("/account/tokens")
            let created = try await browser.post("/account/tokens", ["name": "Zapier"])
            #expect(created.status == .created)
            let secret = String(try #require(created.text.firstMatch(of: /id="new-token" type="text" readonly value="(trs_[A-Za-z0-9_-]+)"/)).1)

            let stored = try #require(try await APIToken.query(on: app.db).filter(\.$name == "Zapier").first())
            #expect(stored.tokenHash == SecretToken.hash(secret))
            #expect(stored.tokenHash != secret)
            #expect(!(try await browser.get("/account/tokens").text.contains(secret)), "shown once only")

            let me = try await app.api(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"])
            #expect(me.status == .ok)

            try await browser.get("/account/tokens")
            #expect(try await browser.post("/account/tokens/\(stored.requireID())/revoke").status == .seeOther)
            let after = try await app.api(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"])
            #expect(after.status == .unauthorized)
            #expect(try after.apiError().code == "unauthorized")
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokensThroughTheAPI(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let created = try await app.api(.POST, "/api/v1/tokens", as: ana, json: #"{"name": "Reporting"}"#)
            #expect(created.status == .created)
            let secret = try #require(try created.json()["token"] as? String)
            let id = try #require(try created.json()["id"] as? String)
            let list = try await app.api(.GET, "/api/v1/tokens", as: ana).jsonArray()
            #expect(list.count == 2)
            #expect(list.allSatisfy { $0["token"] == nil }, "listing never shows a token again")
            #expect(try await app.api(.DELETE, "/api/v1/tokens/\(id)", as: ana).status == .noContent)
            #expect(try await app.api(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(secret)"]).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func requestsWithoutAValidTokenAreRefused(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            for headers: HTTPHeaders in [[:], ["Authorization": "Bearer trs_nope"], ["Authorization": "Basic YTpi"]] {
                let response = try await app.api(.GET, "/api/v1/me", headers: headers)
                #expect(response.status == .unauthorized)
                #expect(try response.apiError().code == "unauthorized")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneUsersTokenCannotRevokeAnothersToken(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.makeMember("ben@example.com")
            let bensToken = try #require(try await APIToken.query(on: app.db).filter(\.$user.$id == ben.user.requireID()).first())
            #expect(try await app.api(.DELETE, "/api/v1/tokens/\(bensToken.requireID())", as: ana).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/me", as: ben).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTokenRevokedOnAnyNodeIsRefusedOnItsNextRequest(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            // setup
            let ana = try await app.makeMember("ana@example.com")
            #expect(try await app.api(.GET, "/api/v1/me", as: ana).status == .ok)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)", as: ana).status == .ok)

            // MUT: the row goes as it would when another node revokes the token.
            try await APIToken.query(on: app.db).filter(\.$tokenHash == SecretToken.hash(ana.token)).delete()

            // validate: nothing on this node remembers the token.
            #expect(try await app.api(.GET, "/api/v1/me", as: ana).status == .unauthorized)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)", as: ana).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTokensUseIsRecordedAtMostOnceAMinute(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let tokens = APITokenService(db: app.db)
            let start = Date(timeIntervalSince1970: 1_750_000_000)
            func lastUsed() async throws -> Date? {
                try await APIToken.query(on: app.db).filter(\.$tokenHash == SecretToken.hash(ana.token)).first()?.lastUsedAt
            }

            #expect(try await tokens.user(forBearer: ana.token, now: start)?.email == "ana@example.com")
            #expect(try await lastUsed() == start)
            _ = try await tokens.user(forBearer: ana.token, now: start.addingTimeInterval(30))
            #expect(try await lastUsed() == start, "a minute has not passed: no write")
            _ = try await tokens.user(forBearer: ana.token, now: start.addingTimeInterval(61))
            #expect(try await lastUsed() == start.addingTimeInterval(61))
        }
    }

    @Test func tokensAreStoredAsTheirSHA256InLowercaseHex() {
        // Tokens already stored must keep matching however the hash is spelled out.
        #expect(SecretToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
