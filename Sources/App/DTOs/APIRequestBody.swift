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
        let (data, dictionary) = try jsonObjectBody()
        let unknown = Set(dictionary.keys).subtracting(Body.fields)
        if !unknown.isEmpty { throw AppError.unknownFields(unknown) }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .rfc3339
            return try decoder.decode(Body.self, from: data)
        } catch let error as DecodingError {
            let field = error.field ?? "body"
            throw AppError.invalid([field: error.fieldMessage], message: "Some fields are missing or have the wrong type.")
        }
    }

    /// The body as a JSON object: JSON content type, valid JSON, an object; with its bytes.
    func jsonObjectBody() throws -> (data: Data, object: [String: Any]) {
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
        return (data, dictionary)
    }
}

extension AppError {
    /// A body with fields the endpoint does not know.
    static func unknownFields(_ unknown: Set<String>) -> AppError {
        .badRequest(
            "unknown_fields", "The body has fields this endpoint does not know: \(unknown.sorted().joined(separator: ", ")).",
            fields: Dictionary(uniqueKeysWithValues: unknown.map { ($0, "Unknown field.") })
        )
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// An instant as OpenAPI's `date-time` (RFC 3339) writes it: with or without fractional
    /// seconds (JavaScript's `toISOString()` sends them), `T` and `Z` in either case.
    static let rfc3339 = custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self).uppercased()
        // Seconds are enough to schedule by; the fraction is dropped before parsing.
        let whole = text.replacing(/(:\d{2})\.\d+/) { $0.output.1 }
        guard let date = ISO8601DateFormatter().date(from: whole) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Use a date-time such as 2030-05-01T09:30:00Z.")
        }
        return date
    }
}
