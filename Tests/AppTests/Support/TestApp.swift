@testable import App
import Fluent
import Foundation
import Networks
import Testing
import Vapor
import VaporTesting

extension Application {
    /// The product's migrations, for the PostgreSQL template.
    func registerTestMigrations() { registerMigrations() }
}

/// Runs `body` against a configured Trestle on the given database, migrated and empty.
/// `fetchAllow` is `TRESTLE_FETCH_ALLOW`: the loopback fakes of the networks are reachable only
/// when a test names them there, as an operator would.
func withTrestle(
    _ database: TestDatabase, publicURL: URL? = nil, fetchAllow: [String] = [],
    _ body: (Application) async throws -> Void
) async throws {
    var postgres: (url: String, name: String)?
    let choice: TrestleSettings.DatabaseChoice
    switch database {
    case .sqlite:
        choice = .sqliteMemory
    case .postgres:
        let created = try await PostgresTestDatabases.shared.create()
        postgres = created
        choice = .postgres(url: created.url)
    }
    let settings = TrestleSettings(
        dataDirectory: NSTemporaryDirectory(), database: choice, publicURL: publicURL,
        secretKey: SymmetricKey(size: .bits256), passwordCost: 4,
        outboundPolicy: try OutboundAddressPolicy(allowing: fetchAllow)
    )
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        try await configure(app, settings: settings)
        if database == .sqlite {
            try await app.autoMigrate()
        }
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        if let postgres { try? await PostgresTestDatabases.shared.drop(postgres.name) }
        throw error
    }
    try await app.asyncShutdown()
    if let postgres { try await PostgresTestDatabases.shared.drop(postgres.name) }
}

/// A person already signed up, with a workspace of their own and an API token.
struct Member {
    let user: User
    let workspace: Workspace
    let token: String
    let password: String

    var workspaceID: String { (try? workspace.requireID().uuidString) ?? "" }
    var bearer: HTTPHeaders { ["Authorization": "Bearer \(token)"] }
}

extension Application {
    func makeMember(_ email: String, workspace: String = "Workspace", password: String = "correct horse 1") async throws -> Member {
        let account = AccountService(db: db, passwords: PasswordHashing(application: self))
        let (user, created) = try await account.signUp(.init(email: email, password: password, workspaceName: workspace))
        let (_, token) = try await APITokenService(db: db).create(for: user, name: "tests")
        return Member(user: user, workspace: try #require(created), token: token, password: password)
    }

    /// Sends a request to the API and returns the answer.
    func api(
        _ method: HTTPMethod, _ path: String, as member: Member? = nil,
        json: String? = nil, contentType: String = "application/json", headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var headers = member?.bearer ?? [:]
        headers.add(contentsOf: extra)
        var body: ByteBuffer?
        if let json {
            headers.replaceOrAdd(name: .contentType, value: contentType)
            body = ByteBuffer(string: json)
        }
        return try await testing().sendRequest(method, path, headers: headers, body: body)
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }

    func json() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }

    func jsonArray() throws -> [[String: Any]] {
        try #require(JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]])
    }

    /// The `error` object of an API error answer.
    func apiError() throws -> (code: String, message: String, fields: [String: String]) {
        let error = try #require(try json()["error"] as? [String: Any])
        return (
            try #require(error["code"] as? String),
            try #require(error["message"] as? String),
            try #require(error["fields"] as? [String: String])
        )
    }
}
