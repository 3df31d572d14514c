import Foundation
import Vapor

/// A JSON request body whose fields are known, so that a misspelt or unexpected field is an
/// error rather than silently ignored.
protocol APIRequestBody: Decodable, Sendable {
    static var fields: Set<String> { get }
}

extension Request {
    /// Decodes the body as exactly `Body`: JSON content type, a JSON object, known fields only.
    func decodeBody<Body: APIRequestBody>(_: Body.Type) throws -> Body {
        guard let type = headers.contentType, type.type == "application", type.subType == "json" else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the body as JSON with `Content-Type: application/json`.")
        }
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw AppError.badRequest("invalid_json", "The request body is empty; send a JSON object.")
        }
        let data = Data(buffer.readableBytesView)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw AppError.badRequest("invalid_json", "The request body is not valid JSON.")
        }
        guard let dictionary = object as? [String: Any] else {
            throw AppError.badRequest("invalid_json", "The request body must be a JSON object.")
        }
        let unknown = Set(dictionary.keys).subtracting(Body.fields)
        if !unknown.isEmpty {
            throw AppError.badRequest(
                "unknown_fields", "The body has fields this endpoint does not know: \(unknown.sorted().joined(separator: ", ")).",
                fields: Dictionary(uniqueKeysWithValues: unknown.map { ($0, "Unknown field.") })
            )
        }
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            let field = error.field ?? "body"
            throw AppError.invalid([field: error.fieldMessage], message: "Some fields are missing or have the wrong type.")
        }
    }
}
