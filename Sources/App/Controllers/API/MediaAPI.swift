import Foundation
import Vapor

/// A workspace's images and videos over the JSON API.
enum MediaAPI {
    @Sendable static func list(_ req: Request) async throws -> [MediaDTO] {
        try await MediaService(db: req.db).media(in: req.requireWorkspace().workspace).map { try MediaDTO($0) }
    }

    @Sendable static func upload(_ req: Request) async throws -> Response {
        let upload = try req.mediaUpload()
        let item = try await MediaService(db: req.db).upload(
            Data(upload.bytes.readableBytesView), filename: upload.filename, altText: upload.alt ?? "",
            to: req.requireWorkspace().workspace, by: req.requireUser()
        )
        return try await MediaDTO(item).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> MediaDTO {
        try MediaDTO(try await item(req))
    }

    @Sendable static func describe(_ req: Request) async throws -> MediaDTO {
        let body = try req.decodeBody(MediaDescription.self)
        let item = try await item(req)
        try await MediaService(db: req.db).describe(item, altText: body.alt)
        return try MediaDTO(item)
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        try await MediaService(db: req.db).delete(item(req))
        return .noContent
    }

    /// The file itself, with the type detected at upload.
    @Sendable static func content(_ req: Request) async throws -> Response {
        let item = try await item(req)
        let bytes = try await MediaService(db: req.db).content(of: item)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: item.format.mimeType)
        headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400")
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }

    private static func item(_ req: Request) async throws -> MediaItem {
        try await MediaService(db: req.db).item(req.uuidParameter("media"), in: req.requireWorkspace().workspace)
    }
}
