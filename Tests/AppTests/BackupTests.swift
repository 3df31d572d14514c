@testable import App
import Fluent
import Foundation
import Networks
import SQLKit
import Testing
import Vapor

/// `trestle backup`: a running SQLite installation copied while it is written to, which a new
/// Trestle opens with the key beside it — posts, and the channels' sealed tokens, readable.
@Suite struct BackupTests {
    /// A Trestle on an SQLite file in `directory`, with `key`.
    static func withFileTrestle(in directory: String, key: SymmetricKey, _ body: (Application) async throws -> Void) async throws {
        let settings = TrestleSettings(
            dataDirectory: directory, database: .sqliteFile(path: (directory as NSString).appendingPathComponent("trestle.sqlite")),
            publicURL: nil, secretKey: key, passwordCost: 4, outboundPolicy: try OutboundAddressPolicy(allowing: ["127.0.0.1"])
        )
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, settings: settings)
            try await app.autoMigrate()
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func aCopyTakenWhilePostsAreWrittenOpensWithItsKey() async throws {
        let root = NSTemporaryDirectory() + "trestle-backup-\(UUID().uuidString)"
        let live = root + "/live", copy = root + "/copy"
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let key = SymmetricKey(size: .bits256)
        var written = 0
        try await FakeMastodon.with { mastodon in
            try await Self.withFileTrestle(in: live, key: key) { app in
                let ana = try await app.makeMember("ana@example.com")
                _ = try await app.connectMastodon(ana, mastodon)
                // Posts keep being written while the copy is taken.
                let writer = Task {
                    var made = 0
                    while !Task.isCancelled, made < 400 {
                        _ = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana, json: #"{"text": "Loaf \#(made)"}"#)
                        made += 1
                    }
                    return made
                }
                try await Task.sleep(for: .milliseconds(50))
                let files = try await SQLiteBackup(application: app).write(into: copy)
                written = try await writer.value
                #expect(files.database == copy + "/trestle.sqlite")
                let attributes = try FileManager.default.attributesOfItem(atPath: files.key)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "the key is its owner's only")
                #expect((try FileManager.default.attributesOfItem(atPath: files.database)[.posixPermissions] as? NSNumber)?.intValue == 0o600)

                await #expect(throws: SettingsError.self, "never mixed with an earlier backup") {
                    try await SQLiteBackup(application: app).write(into: copy)
                }
            }
        }
        #expect(written > 0)

        let restoredKey = try SecretKeyFile.loadOrCreate(in: copy)
        #expect(restoredKey == key)
        try await Self.withFileTrestle(in: copy, key: restoredKey) { app in
            let check = try await (app.db as! any SQLDatabase).raw("PRAGMA integrity_check").first()
            #expect(try check?.decode(column: "integrity_check", as: String.self) == "ok")
            let posts = try await Post.query(on: app.db).count()
            #expect(posts <= written)
            // Each post is whole: its number matches its text's, from 0 up, with no gap.
            let texts = Set(try await Post.query(on: app.db).all().map(\.text))
            #expect(texts == Set((0..<posts).map { "Loaf \($0)" }), "a copy of one instant: the first \(posts) posts and nothing half-written")
            let channel = try #require(try await App.Channel.query(on: app.db).first())
            #expect(throws: Never.self, "the sealed token opens with the key beside the copy") {
                _ = try app.wiring.channels(on: app.db).credentials(of: channel)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDatabaseOtherThanAnSQLiteFileIsNotCopied(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            await #expect(throws: SettingsError.self) {
                try await SQLiteBackup(application: app).write(into: NSTemporaryDirectory() + "trestle-backup-\(UUID().uuidString)")
            }
        }
    }
}
