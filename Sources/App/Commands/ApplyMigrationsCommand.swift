import Fluent
import Vapor

/// `trestle migrate`: applies pending migrations without asking, so it can run from a deploy
/// script. (Fluent's own command waits for a "y".)
struct ApplyMigrationsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Applies pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        context.console.output("Migrations are up to date.")
    }
}
