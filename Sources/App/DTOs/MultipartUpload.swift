import MediaFiles
import NIOCore

/// A media upload's `multipart/form-data` body: `MultipartForm` finds the parts, and each
/// part's content is handed on as a slice of the request's own buffer, never a copy.
struct MultipartUpload {
    struct Part {
        var name: String
        var filename: String?
        var content: ByteBuffer
    }

    let parts: [Part]

    /// Nil when the body is not well-formed multipart with this boundary.
    init?(body: ByteBuffer, boundary: String) {
        guard let form = body.withUnsafeReadableBytes({ MultipartForm(bytes: $0, boundary: boundary) }) else { return nil }
        parts = form.parts.compactMap { part in
            body.getSlice(at: body.readerIndex + part.content.lowerBound, length: part.content.count).map {
                Part(name: part.name, filename: part.filename, content: $0)
            }
        }
    }

    func part(named name: String) -> Part? {
        parts.first { $0.name == name }
    }
}
