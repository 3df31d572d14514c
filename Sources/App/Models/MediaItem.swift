import Fluent
import Foundation
import MediaFiles

/// An image or video uploaded to a workspace, with its alt text. The bytes live in
/// `MediaContent`, so listing media never loads them.
final class MediaItem: Model, @unchecked Sendable {
    static let schema = "media"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @OptionalParent(key: "uploader_id") var uploader: User?
    /// Detected from the file's bytes, never from its name.
    @Field(key: "format") var format: MediaFormat
    @Field(key: "byte_count") var byteCount: Int
    @OptionalField(key: "width") var width: Int?
    @OptionalField(key: "height") var height: Int?
    /// A video's length, read from its `mvhd` box; nil for images and unreadable videos.
    @OptionalField(key: "duration_seconds") var durationSeconds: Double?
    @Field(key: "alt_text") var altText: String
    @Field(key: "filename") var filename: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID, workspaceID: UUID, uploaderID: UUID?, format: MediaFormat, byteCount: Int, width: Int?, height: Int?, durationSeconds: Double? = nil, altText: String, filename: String) {
        self.id = id
        self.$workspace.id = workspaceID
        self.$uploader.id = uploaderID
        self.format = format
        self.byteCount = byteCount
        self.width = width
        self.height = height
        self.durationSeconds = durationSeconds
        self.altText = altText
        self.filename = filename
    }
}

/// The bytes of one `MediaItem`, stored in the database so every node can read them.
final class MediaContent: Model, @unchecked Sendable {
    static let schema = "media_contents"

    /// The same id as its `MediaItem`.
    @ID(key: .id) var id: UUID?
    @Field(key: "bytes") var bytes: Data

    init() {}

    init(id: UUID, bytes: Data) {
        self.id = id
        self.bytes = bytes
    }
}
