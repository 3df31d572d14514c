import Fluent
import Foundation
import MediaFiles

/// Uploading, describing and removing a workspace's images and videos.
struct MediaService: Sendable {
    /// The largest upload the server reads (also the media routes' body limit).
    static let maximumUploadBytes = 100 * (1 << 20)
    static let maximumAltTextLength = 5_000

    let db: any Database

    func upload(_ bytes: Data, filename rawName: String, altText: String, to workspace: Workspace, by user: User) async throws -> MediaItem {
        let item = try Self.item(for: bytes, filename: rawName, altText: altText, workspaceID: workspace.requireID(), uploaderID: user.requireID())
        let id = try item.requireID()
        try await db.transaction { tx in
            try await item.create(on: tx)
            try await MediaContent(id: id, bytes: bytes).create(on: tx)
        }
        return item
    }

    /// What an upload of `bytes` would be, read from the bytes themselves, not yet stored; a file
    /// that is no image or video Trestle posts is refused.
    static func item(for bytes: Data, filename rawName: String, altText: String, workspaceID: UUID, uploaderID: UUID) throws -> MediaItem {
        let filename = Self.cleanFilename(rawName)
        guard !bytes.isEmpty else {
            throw ServiceError.malformed("empty_file", "\(filename) is empty.", fields: ["file": "Choose a file that is not empty."])
        }
        guard let format = MediaFormat.detect(bytes) else {
            throw ServiceError(
                kind: .unsupported, code: "unsupported_media_type",
                message: "\(filename) is not an image or video Trestle can post: use JPEG, PNG, GIF, WebP, MP4 or MOV.",
                fields: ["file": "Not a JPEG, PNG, GIF, WebP, MP4 or MOV file."]
            )
        }
        try Self.checkAltText(altText)
        // A video whose boxes cannot be read is still taken; its length is then not checked.
        let video = format.isVideo ? VideoMetadata.read(bytes) : nil
        let dimensions = format.isVideo ? video.flatMap { v in v.width.flatMap { w in v.height.map { (width: w, height: $0) } } } : ImageDimensions.read(bytes, format: format)
        return MediaItem(
            id: UUID(), workspaceID: workspaceID, uploaderID: uploaderID, format: format,
            byteCount: bytes.count, width: dimensions?.width, height: dimensions?.height, durationSeconds: video?.durationSeconds,
            altText: altText.trimmingCharacters(in: .whitespacesAndNewlines), filename: filename
        )
    }

    func media(in workspace: Workspace) async throws -> [MediaItem] {
        try await MediaItem.query(on: db)
            .filter(\.$workspace.$id == workspace.requireID())
            .sort(\.$createdAt, .descending)
            .all()
    }

    func item(_ id: UUID, in workspace: Workspace) async throws -> MediaItem {
        guard
            let item = try await MediaItem.query(on: db)
                .filter(\.$id == id)
                .filter(\.$workspace.$id == workspace.requireID())
                .first()
        else { throw ServiceError.notFound("This image or video") }
        return item
    }

    /// The items with these ids, in this order; an id that is not the workspace's is a field error.
    func items(_ ids: [UUID], in workspace: Workspace) async throws -> [MediaItem] {
        guard !ids.isEmpty else { return [] }
        let found = try await MediaItem.query(on: db)
            .filter(\.$id ~~ ids)
            .filter(\.$workspace.$id == workspace.requireID())
            .all()
        let byID = Dictionary(uniqueKeysWithValues: found.compactMap { item in item.id.map { ($0, item) } })
        if let missing = ids.first(where: { byID[$0] == nil }) {
            throw ServiceError.invalid(["media": "No image or video \(missing.uuidString) in this workspace; upload it first."])
        }
        return ids.compactMap { byID[$0] }
    }

    func content(of item: MediaItem) async throws -> Data {
        guard let content = try await MediaContent.find(item.requireID(), on: db) else {
            throw ServiceError.notFound("This file")
        }
        return content.bytes
    }

    func describe(_ item: MediaItem, altText: String) async throws {
        try Self.checkAltText(altText)
        item.altText = altText.trimmingCharacters(in: .whitespacesAndNewlines)
        try await item.save(on: db)
    }

    /// Removes the file and takes it out of every post that showed it, in one step.
    func delete(_ item: MediaItem) async throws {
        let id = try item.requireID()
        try await db.transaction { tx in
            let posts = try await Post.query(on: tx).filter(\.$workspace.$id == item.$workspace.id).all()
            for post in posts where post.media.contains(id) {
                post.media.removeAll { $0 == id }
                try await post.save(on: tx)
            }
            try await MediaContent.query(on: tx).filter(\.$id == id).delete()
            try await item.delete(on: tx)
        }
    }

    private static func checkAltText(_ text: String) throws {
        if text.count > maximumAltTextLength {
            throw ServiceError.invalid(["alt": "Alt text can be at most \(maximumAltTextLength.formatted()) characters."])
        }
    }

    private static func cleanFilename(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let name = last.filter { !$0.isNewline && $0 != "\0" }
        return name.isEmpty ? "file" : String(name.prefix(200))
    }
}
