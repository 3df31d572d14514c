import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing
import Vapor

/// The databases every test runs on: SQLite in memory always, PostgreSQL as well when
/// `TRESTLE_TEST_POSTGRES_URL` names a server (`.ci/run` starts one).
enum TestDatabase: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL: String? = {
        let value = ProcessInfo.processInfo.environment["TRESTLE_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static var all: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// Each PostgreSQL test gets a database of its own, copied from a migrated template, so tests
/// run in parallel without seeing each other's rows.
actor PostgresTestDatabases {
    static let shared = PostgresTestDatabases()
    static let template = "trestle_test_template"

    /// Databases in use at once. Each test's app may hold 8 connections (4 per event loop) and
    /// the server allows 200 (`scripts/postgres-start`): the whole suite in parallel ran out.
    static let mostAtOnce = 12

    private var templateReady: Task<Void, any Error>?
    private var live = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A fresh, migrated database; returns its URL and name. Waits while `mostAtOnce` are in use.
    func create() async throws -> (url: String, name: String) {
        guard let adminURL = TestDatabase.postgresURL else { throw TestSetupError("TRESTLE_TEST_POSTGRES_URL is not set") }
        while live >= Self.mostAtOnce { await withCheckedContinuation { waiting.append($0) } }
        live += 1
        do {
            if templateReady == nil {
                templateReady = Task { try await Self.makeTemplate(adminURL: adminURL) }
            }
            try await templateReady!.value
            let name = "trestle_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            try await Self.admin(adminURL) { try await $0.raw("CREATE DATABASE \(ident: name) TEMPLATE \(ident: Self.template)").run() }
            return (try Self.url(adminURL, database: name), name)
        } catch {
            release()
            throw error
        }
    }

    func drop(_ name: String) async throws {
        guard let adminURL = TestDatabase.postgresURL else { return }
        defer { release() }
        try await Self.admin(adminURL) { try await $0.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
    }

    private func release() {
        live -= 1
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    private static func makeTemplate(adminURL: String) async throws {
        try await admin(adminURL) { db in
            // Leftovers of an earlier run that stopped half-way.
            let stale = try await db.raw("SELECT datname FROM pg_database WHERE datname LIKE 'trestle_test_%'").all()
            for row in stale {
                let name = try row.decode(column: "datname", as: String.self)
                try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
            }
            try await db.raw("CREATE DATABASE \(ident: template)").run()
        }
        let app = try await Application.make(.testing)
        do {
            app.databases.use(try .postgres(url: url(adminURL, database: template)), as: .psql)
            app.registerTestMigrations()
            try await app.autoMigrate()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    private static func admin(_ adminURL: String, _ work: (any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(try .postgres(url: adminURL), as: .psql)
            try await work(app.db as! any SQLDatabase)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    private static func url(_ adminURL: String, database: String) throws -> String {
        guard var components = URLComponents(string: adminURL) else { throw TestSetupError("bad TRESTLE_TEST_POSTGRES_URL") }
        components.path = "/" + database
        guard let url = components.string else { throw TestSetupError("bad TRESTLE_TEST_POSTGRES_URL") }
        return url
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
