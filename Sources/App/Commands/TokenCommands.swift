import Fluent
import Vapor

/// `trestle token create --email E [--name N]` prints a new API token alone on one line.
struct TokenCommands: AsyncCommandGroup {
    var help: String { "Manages API tokens." }
    var commands: [String: any AnyAsyncCommand] { ["create": CreateToken()] }

    struct CreateToken: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "email", help: "Whose token it is") var email: String?
            @Option(name: "name", help: "Where it will be used (default: command line)") var name: String?
            init() {}
        }
        var help: String { "Creates an API token and prints it once." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            let email = FieldRules.email(signature.email ?? "").value
            guard let user = try await User.query(on: db).filter(\.$email == email).first() else {
                throw CommandFailure(ServiceError.notFound("A user with the email \(email.isEmpty ? "(none given)" : email)"))
            }
            do {
                let (_, secret) = try await APITokenService(db: db).create(for: user, name: signature.name ?? "command line")
                context.console.output(secret.consoleText())
            } catch let error as ServiceError {
                throw CommandFailure(error)
            }
        }
    }
}
