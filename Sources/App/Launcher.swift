import Fluent
import Vapor

/// The `trestle` executable: reads the settings, prepares the database and runs the command.
public enum Launcher {
    public static func run() async throws {
        var environment = try Environment.detect()
        try LoggingSystem.bootstrap(from: &environment)
        // `--no-worker` belongs to Trestle, not to Vapor's serve command.
        let runsWorker = !environment.arguments.contains("--no-worker")
        environment.arguments.removeAll { $0 == "--no-worker" }
        let command = environment.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"

        // Made first: it reads `.env` into the environment the settings come from.
        let app = try await Application.make(environment)
        do {
            let settings = try TrestleSettings.fromEnvironment()
            try await configure(app, settings: settings)
            if ["serve", "worker"].contains(command), settings.database.isSQLite {
                try await app.autoMigrate()
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
}
