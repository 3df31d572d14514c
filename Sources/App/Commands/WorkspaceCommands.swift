import Fluent
import Foundation
import Vapor

/// `trestle workspace export ID FILE` and `trestle workspace import FILE --owner EMAIL`: a
/// workspace's data moved from one Trestle to another.
struct WorkspaceCommands: AsyncCommandGroup {
    var help: String { "Moves a workspace's data between Trestles." }
    var commands: [String: any AnyAsyncCommand] { ["export": Export(), "import": Import()] }

    struct Export: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "workspace", help: "The workspace's id") var workspace: String
            @Argument(name: "file", help: "Where to write its archive (JSON lines)") var file: String
            init() {}
        }
        var help: String { "Writes a workspace's data, media included, to a file." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            guard let id = UUID(uuidString: signature.workspace), let workspace = try await Workspace.find(id, on: app.db) else {
                throw CommandFailure(.notFound("Workspace \(signature.workspace.prefix(40))"))
            }
            let text = try await WorkspaceArchive(db: app.db, wiring: app.wiring).export(workspace)
            guard FileManager.default.createFile(atPath: signature.file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CommandFailure(.invalid(["file": "Cannot write \(signature.file)."]))
            }
            context.console.output("Wrote \(workspace.name) to \(signature.file).".consoleText())
        }
    }

    struct Import: AsyncCommand {
        struct Signature: CommandSignature {
            @Argument(name: "file", help: "An archive written by `trestle workspace export` or downloaded from Settings") var file: String
            @Option(name: "owner", help: "The email of the account here that owns the workspace") var owner: String?
            init() {}
        }
        var help: String { "Makes a workspace from another Trestle's archive; its channels must be connected again." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            guard let email = signature.owner?.lowercased(), let owner = try await User.query(on: app.db).filter(\.$email == email).first() else {
                throw CommandFailure(.invalid(["owner": "Name an account of this Trestle, by its email, to own the workspace."], message: "Nothing was imported."))
            }
            guard let data = FileManager.default.contents(atPath: signature.file), let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure(.invalid(["file": "Cannot read \(signature.file) as text."], message: "Nothing was imported."))
            }
            do {
                let workspace = try await WorkspaceArchive(db: app.db, wiring: app.wiring).importing(text, owner: owner)
                context.console.output("Imported \(workspace.name) (\(try workspace.requireID())). Connect its channels again under Channels.".consoleText())
            } catch let error as ServiceError {
                throw CommandFailure(error)
            }
        }
    }
}
