import Foundation
import Vapor

struct MediaDTO: Content {
    var id: String
    var format: String
    var mimeType: String
    var byteCount: Int
    var width: Int?
    var height: Int?
    /// A video's length in seconds.
    var durationSeconds: Double?
    var alt: String
    var filename: String
    var createdAt: Date?

    init(_ item: MediaItem) throws {
        id = try item.requireID().uuidString
        format = item.format.rawValue
        mimeType = item.format.mimeType
        byteCount = item.byteCount
        width = item.width
        height = item.height
        durationSeconds = item.durationSeconds
        alt = item.altText
        filename = item.filename
        createdAt = item.createdAt
    }
}

/// `multipart/form-data` with a `file` and its `alt` text.
struct MediaUpload {
    /// A slice of the request body: not copied.
    var bytes: ByteBuffer
    var filename: String
    var alt: String?
}

struct MediaDescription: APIRequestBody {
    static let fields: Set<String> = ["alt"]
    var alt: String
}

extension Request {
    /// The uploaded file, or a clear error when the request is not a multipart upload.
    func mediaUpload() throws -> MediaUpload {
        guard let type = headers.contentType, type.type == "multipart", type.subType == "form-data" else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the file as multipart/form-data with a `file` field and an optional `alt` field.")
        }
        guard
            let body = body.data,
            let upload = MultipartUpload(body: body, boundary: type.parameters["boundary"] ?? ""),
            let file = upload.part(named: "file")
        else {
            throw AppError.badRequest("invalid_upload", "The upload needs a `file` field holding the image or video.", fields: ["file": "Choose a file."])
        }
        let alt = upload.part(named: "alt").map { String(buffer: $0.content) }
        return MediaUpload(bytes: file.content, filename: file.filename ?? "upload", alt: alt)
    }
}
