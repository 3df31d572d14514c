import Fluent
import Vapor

/// The `trestle` executable: reads the settings, prepares the database and runs the command.
public enum Launcher {
    public static func run() async throws {
        var environment = try Environment.detect()
        // Logs go to standard error: standard output is for what a command prints, such as the
        // token of `trestle token create`, alone on its line.
        try LoggingSystem.bootstrap(from: &environment) { level in
            { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        // `--no-worker` belongs to Trestle, not to Vapor's serve command.
        let runsWorker = !environment.arguments.contains("--no-worker")
        environment.arguments.removeAll { $0 == "--no-worker" }
        let command = environment.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"

        // Made first: it reads `.env` into the environment the settings come from.
        let app = try await Application.make(environment)
        do {
            let settings = try TrestleSettings.fromEnvironment()
            try await configure(app, settings: settings)
            // On SQLite every command but `migrate` itself migrates first, so a fresh install
            // can start with `trestle user create`.
            if ["serve", "worker", "user", "token", "benchmark"].contains(command) {
                try await prepareDatabase(app, settings: settings)
            }
            if command == "serve" {
                app.lifecycle.use(ClickRecording())
            }
            if command == "serve", runsWorker {
                app.lifecycle.use(WorkerLifecycle(worker: Worker(application: app)))
            }
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// SQLite migrates itself; on PostgreSQL several nodes may start at once, so the schema is
    /// changed only by `trestle migrate`, and a node refuses to run on an outdated one.
    private static func prepareDatabase(_ app: Application, settings: TrestleSettings) async throws {
        if settings.database.isSQLite {
            try await app.autoMigrate()
            return
        }
        try await app.migrator.setupIfNeeded().get()
        let pending = try await app.migrator.previewPrepareBatch().get()
        if !pending.isEmpty {
            throw SettingsError("The database is missing \(pending.count) migration(s). Run `trestle migrate` once (from one node), then start again.")
        }
    }
}
