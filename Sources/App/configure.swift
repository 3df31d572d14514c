import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import SQLKit
import Vapor

/// Sets up storage, sessions, views, middleware, commands and routes.
public func configure(_ app: Application, settings: TrestleSettings) async throws {
    app.settings = settings

    switch settings.database {
    case let .sqliteFile(path):
        app.databases.use(.sqlite(SQLiteConfiguration(storage: .file(path: path))), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case let .postgres(url):
        // About eight connections a process, shared out over its event loops (at least one
        // each), so a worker's claims, its jobs' transactions and the recording of finished
        // jobs do not wait in line for one connection, while several processes on a many-core
        // machine stay well inside PostgreSQL's default 100.
        let perLoop = max(1, 8 / max(1, System.coreCount))
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: perLoop), as: .psql)
    }
    if case .sqliteFile = settings.database {
        // WAL lets pages be read while the worker writes; the setting stays with the file.
        try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run()
        // Each connection syncs the log at checkpoints rather than at every commit: a crash of
        // Trestle loses nothing, a power cut may lose the last moments (SQLite's own advice for
        // WAL). Without it every commit waits for the disk, and publishing is bound by fsync.
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let connection = app.databases.database(logger: app.logger, on: eventLoop) else { continue }
            try await (connection as! any SQLDatabase).raw("PRAGMA synchronous=NORMAL").run()
        }
    }
    app.registerMigrations()
    app.useNetworkHTTP(policy: settings.outboundPolicy)
    app.useWiring()
    app.databases.middleware.use(CalendarChanges<Delivery>(cache: app.wiring.calendar))
    app.databases.middleware.use(CalendarChanges<Post>(cache: app.wiring.calendar))
    app.databases.middleware.use(CalendarChanges<Channel>(cache: app.wiring.calendar))

    app.sessions.use { _ in WebSessionStore() }
    let secure = settings.servesHTTPS
    // Max-Age alone: every browser of today reads it, and Vapor writes an `Expires` date with a
    // date formatter made afresh for each response.
    app.sessions.configuration = SessionsConfiguration(cookieName: "trestle_session") { id in
        HTTPCookies.Value(
            string: id.string, maxAge: Int(WebSessionStore.lifetime),
            path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax
        )
    }

    // Leaf's own provider switches its shared template cache off whenever the environment is
    // `development` — Vapor's default, so every page was lexed and parsed again on every
    // request. Templates are cached in release builds whatever the environment; a debug
    // build reads them afresh, so an edited template shows at once.
    app.views.use { app in
        LeafRenderer(configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache, sources: app.leaf.sources,
                     eventLoop: app.eventLoopGroup.next(), userInfo: ["application": app])
    }
    app.leaf.cache.isEnabled = app.environment.isRelease

    _ = JSONDates.useISO8601

    app.routes.defaultMaxBodySize = "1mb"
    app.middleware = Middlewares()
    app.middleware.use(RequestMetrics(metrics: app.wiring.metrics))
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorPages())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    app.asyncCommands.use(ApplyMigrationsCommand(), as: "migrate")
    app.asyncCommands.use(UserCommands(), as: "user")
    app.asyncCommands.use(TokenCommands(), as: "token")
    app.asyncCommands.use(WorkerCommand(), as: "worker")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(WorkspaceCommands(), as: "workspace")
    app.asyncCommands.use(BenchmarkCommand(), as: "benchmark")

    try routes(app)
    // Last, so that it reads the complete route table; inside ErrorPages, so its 405 is shown
    // like any other error.
    app.middleware.use(MethodNotAllowed(routes: app.routes))
}

/// JSON instants as ISO 8601 with a zone. The setting is process-wide, so it is made once even
/// when several applications are configured at the same time (as the tests do).
private enum JSONDates {
    static let useISO8601: Void = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        ContentConfiguration.global.use(encoder: encoder, for: .json)
        ContentConfiguration.global.use(decoder: decoder, for: .json)
    }()
}
