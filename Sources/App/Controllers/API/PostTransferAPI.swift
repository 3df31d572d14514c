import Foundation
import Vapor

/// Posts in and out as CSV over the API.
enum PostTransferAPI {
    /// `text/csv`; `?dryRun=true` checks every row and makes nothing. Rows with problems refuse
    /// the whole file: 422 with a field per line.
    @Sendable static func importCSV(_ req: Request) async throws -> Response {
        guard let type = req.headers.contentType, type.type == "text", type.subType == "csv" else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the posts as CSV with `Content-Type: text/csv`.")
        }
        guard let buffer = req.body.data, let text = String(bytes: buffer.readableBytesView, encoding: .utf8) else {
            throw ServiceError.invalid(["file": "Send the posts as UTF-8 text."], message: "Nothing was imported.")
        }
        let dryRun: Bool
        switch req.query[String.self, at: "dryRun"] {
        case nil, "false": dryRun = false
        case "true": dryRun = true
        default: throw ServiceError.invalid(["dryRun": "Use true or false."], message: "Nothing was imported.")
        }
        let outcome = try await PostCSV(db: req.db, wiring: req.wiring).importing(text, into: req.requireWorkspace().workspace, by: req.requireUser(), dryRun: dryRun)
        guard outcome.isClean || dryRun else { throw refusal(outcome) }
        return try await PostImportDTO(outcome).encodeResponse(status: dryRun ? .ok : .created, for: req)
    }

    @Sendable static func exportCSV(_ req: Request) async throws -> Response {
        let workspace = try req.requireWorkspace().workspace
        let response = Response(status: .ok, body: .init(string: try await PostCSV(db: req.db, wiring: req.wiring).export(of: workspace)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: #"attachment; filename="trestle-posts.csv""#)
        return response
    }

    /// All the workspace's data as JSON lines, for its owner to keep or move to another Trestle.
    @Sendable static func archive(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        guard access.membership.role == .owner else {
            throw ServiceError.forbidden("Only the workspace's owner can download all of its data.")
        }
        let text = try await WorkspaceArchive(db: req.db, wiring: req.wiring).export(access.workspace)
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "x-ndjson", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: #"attachment; filename="trestle-workspace.jsonl""#)
        return response
    }

    /// Nothing was made: each line's problems, as the fields of one error.
    static func refusal(_ outcome: PostCSV.Outcome) -> ServiceError {
        let fields = Dictionary(uniqueKeysWithValues: outcome.rows.filter { !$0.problems.isEmpty }.map { ("line \($0.line)", $0.problems.joined(separator: " ")) })
        return ServiceError.invalid(fields, message: "\(fields.count) of \(outcome.rows.count) posts have problems, so none was imported.")
    }
}

/// What an import made or, in a dry run, would make: each row's problems.
struct PostImportDTO: Content {
    struct Row: Content {
        var line: Int
        var problems: [String]
    }

    var dryRun: Bool
    var rows: [Row]
    /// The posts made, in the file's order; none in a dry run.
    var created: [String]
    var ready: Bool

    init(_ outcome: PostCSV.Outcome) {
        dryRun = outcome.dryRun
        rows = outcome.rows.map { Row(line: $0.line, problems: $0.problems) }
        created = outcome.created.map(\.uuidString)
        ready = outcome.isClean
    }
}
