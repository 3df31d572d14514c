import Vapor

/// The OpenAPI 3.1 description of `/api/v1`, served at `GET /api/v1/openapi.json`. A test
/// compares it with the route table, so a route cannot be added without being described here.
enum OpenAPIDocument {
    @Sendable static func serve(_ req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try JSONEncoder().encode(document)))
    }

    static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": [
            "title": "Trestle API",
            "version": "1",
            "description": "Self-hosted social media management. Authenticate with `Authorization: Bearer <token>`; create tokens under Account → API tokens or with `trestle token create`.",
        ],
        "servers": [["url": "/"]],
        "security": [["bearer": []]],
        "paths": .object(APIOperations.all.pathItems),
        "components": [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            "schemas": .object(APISchemas.all),
        ],
    ]
}
