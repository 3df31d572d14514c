import Vapor

/// `trestle user create --email E --password P [--workspace NAME]`.
struct UserCommands: AsyncCommandGroup {
    var help: String { "Manages users." }
    var commands: [String: any AnyAsyncCommand] { ["create": CreateUser()] }

    struct CreateUser: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "email", help: "The user's email address") var email: String?
            @Option(name: "password", help: "At least 8 characters") var password: String?
            @Option(name: "workspace", help: "Also create a workspace of this name, owned by the user") var workspace: String?
            init() {}
        }
        var help: String { "Creates a user (and a workspace with --workspace)." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            let account = AccountService(db: app.db, passwords: PasswordHashing(application: app))
            do {
                let (user, workspace) = try await account.signUp(.init(
                    email: signature.email ?? "", password: signature.password ?? "", workspaceName: signature.workspace
                ))
                var line = "Created user \(user.email)"
                if let workspace { line += " and workspace \(workspace.name) (\(try workspace.requireID()))" }
                context.console.output(line.consoleText())
            } catch let error as ServiceError {
                throw CommandFailure(error)
            }
        }
    }
}

/// A service's refusal told on the command line: the message and each field's problem.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: ServiceError) {
        let fields = error.fields.sorted { $0.key < $1.key }.map { "  --\($0.key): \($0.value)" }
        description = ([error.message] + fields).joined(separator: "\n")
    }
}
