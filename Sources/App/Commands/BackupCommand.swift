import Fluent
import Foundation
import SQLKit
import Vapor

/// `trestle backup DIRECTORY`: a consistent copy of a running SQLite installation — the database
/// through `VACUUM INTO` (one read transaction, so writers go on and the copy is of one instant)
/// and the secret key beside it. PostgreSQL is backed up with its own tools (see the README).
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "directory", help: "A new or empty directory for trestle.sqlite and secret.key")
        var directory: String
    }

    var help: String { "Copies the SQLite database and the secret key into a directory, while Trestle runs." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let written = try await SQLiteBackup(application: context.application).write(into: signature.directory)
        context.console.output("Wrote \(written.database) and \(written.key).")
        context.console.warning(SQLiteBackup.warning)
    }
}

/// The copy itself, for the command and its tests.
struct SQLiteBackup {
    static let warning = """
        Keep the two files together, and as private as the server: the database's channel tokens \
        can only be read with this secret key, and whoever has both can post as the business. \
        To restore, stop Trestle, put both files in TRESTLE_DATA_DIR, and start it.
        """

    let application: Application

    func write(into directory: String) async throws -> (database: String, key: String) {
        guard case .sqliteFile = application.settings.database else {
            throw SettingsError("trestle backup copies an SQLite installation; back up PostgreSQL with pg_dump (see the README).")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty else {
                throw SettingsError("\(directory) must be a new or empty directory, so that no earlier backup is mixed with this one.")
            }
        } else {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let database = (directory as NSString).appendingPathComponent("trestle.sqlite")
        let key = (directory as NSString).appendingPathComponent(SecretKeyFile.fileName)
        // VACUUM INTO takes a file name as a string literal: quotes doubled, nothing else to escape.
        let literal = "'" + database.replacingOccurrences(of: "'", with: "''") + "'"
        try await (application.db as! any SQLDatabase).raw("VACUUM INTO \(unsafeRaw: literal)").run()
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: database)
        try SecretKeyFile.write(application.settings.secretKey, to: key)
        return (database, key)
    }
}
