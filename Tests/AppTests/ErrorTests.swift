@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct ErrorTests {
    @Test(arguments: TestDatabase.all)
    func badJSONBodiesGetA4xxInTheDocumentedShapeAndChangeNothing(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let cases: [(body: String, contentType: String, status: HTTPStatus, code: String)] = [
                ("{\"name\": ", "application/json", .badRequest, "invalid_json"),
                ("[1, 2]", "application/json", .badRequest, "invalid_json"),
                ("", "application/json", .badRequest, "invalid_json"),
                (#"{"name": "X", "owner": "me"}"#, "application/json", .badRequest, "unknown_fields"),
                (#"{"name": 42}"#, "application/json", .unprocessableEntity, "invalid_fields"),
                (#"{}"#, "application/json", .unprocessableEntity, "invalid_fields"),
                (#"{"name": ""}"#, "application/json", .unprocessableEntity, "invalid_fields"),
                (#"{"name": "X"}"#, "text/plain", .unsupportedMediaType, "unsupported_media_type"),
                ("name=X", "application/x-www-form-urlencoded", .unsupportedMediaType, "unsupported_media_type"),
            ]
            for item in cases {
                let response = try await app.api(.POST, "/api/v1/workspaces", as: ana, json: item.body, contentType: item.contentType)
                #expect(response.status == item.status, "\(item.code): \(response.text.prefix(200))")
                let error = try response.apiError()
                #expect(error.code == item.code)
                #expect(!error.message.isEmpty)
            }
            let fields = try await app.api(.POST, "/api/v1/workspaces", as: ana, json: #"{"name": 42}"#).apiError().fields
            #expect(fields["name"] != nil, "the field at fault is named")
            #expect(try await Workspace.query(on: app.db).count() == 1, "nothing was created")
        }
    }

    @Test(arguments: TestDatabase.all)
    func anOversizedBodyIsRefusedBeforeItIsRead(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            // Over a real socket: the size limit applies while the body streams in.
            let server = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            let body = "{\"name\": \"" + String(repeating: "a", count: 2_000_000) + "\"}"
            var headers = ana.bearer
            headers.contentType = .json
            let response = try await server.sendRequest(.POST, "/api/v1/workspaces", headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .payloadTooLarge)
            #expect(try response.apiError().code == "payload_too_large")
            #expect(try await Workspace.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownPathsGetA404PageOrA404JSON(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let page = try await app.testing().sendRequest(.GET, "/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.headers.contentType == .html)
            #expect(page.text.contains("Page not found"))
            let api = try await app.api(.GET, "/api/v1/nothing-here")
            #expect(api.status == .notFound)
            #expect(try api.apiError().code == "not_found")
            let notAnID = try await app.api(.GET, "/api/v1/workspaces/not-a-uuid", as: app.makeMember("ana@example.com"))
            #expect(notAnID.status == .notFound)
        }
    }

    @Test func aMethodAPathDoesNotServeGetsA405ThatSaysWhichItDoes() async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let me = try await app.api(.PUT, "/api/v1/me", as: ana)
            #expect(me.status == .methodNotAllowed)
            #expect(me.headers.first(name: "Allow") == "GET, HEAD")
            #expect(try me.apiError().code == "method_not_allowed")

            let workspace = try await app.api(.TRACE, "/api/v1/workspaces/\(ana.workspaceID)")
            #expect(workspace.status == .methodNotAllowed, "before any sign-in: the route table is public in openapi.json")
            #expect(workspace.headers.first(name: "Allow") == "GET, HEAD, PATCH, DELETE")

            let page = try await app.testing().sendRequest(.DELETE, "/login")
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers.first(name: "Allow") == "GET, HEAD, POST")

            #expect(try await app.api(.PUT, "/api/v1/nothing-here").status == .notFound, "an unknown path stays 404")
        }
    }

    struct Explosion: Error {}

    @Test(arguments: TestDatabase.all)
    func anUnexpectedFailureShowsAFriendlyPageWithoutInternals(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            app.get("test-explodes") { _ -> String in throw Explosion() }
            app.get("api", "v1", "test-explodes") { _ -> String in throw Explosion() }
            let page = try await app.testing().sendRequest(.GET, "/test-explodes")
            #expect(page.status == .internalServerError)
            #expect(page.text.contains("Something went wrong"))
            #expect(!page.text.contains("Explosion"))
            let api = try await app.api(.GET, "/api/v1/test-explodes")
            #expect(api.status == .internalServerError)
            #expect(try api.apiError().code == "internal_error")
            #expect(!api.text.contains("Explosion"))
        }
    }
}
