@testable import App
import Foundation
import RoutingKit
import Testing
import Vapor
import VaporTesting

@Suite struct OpenAPITests {
    private func operations(in document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(path)" } })
    }

    @Test(arguments: TestDatabase.all)
    func theDocumentDescribesEveryAPIRouteAndNoOther(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let response = try await app.api(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = try response.json()
            #expect(document["openapi"] as? String == "3.1.0")
            let described = try operations(in: document)

            let routes = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    if case let .parameter(name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                guard path.hasPrefix("/api/v1/") || path == "/healthz" else { return nil }
                return "\(route.method.rawValue) \(path)"
            })
            #expect(routes.count >= 15)
            #expect(routes.subtracting(described).isEmpty, "routes missing from openapi.json: \(routes.subtracting(described).sorted())")
            #expect(described.subtracting(routes).isEmpty, "described but not routed: \(described.subtracting(routes).sorted())")
        }
    }

    @Test func everySchemaReferenceResolves() throws {
        let data = try JSONEncoder().encode(OpenAPIDocument.document)
        let text = try #require(String(data: data, encoding: .utf8))
        let schemas = Set(APISchemas.all.map(\.0))
        for match in text.matches(of: /"#\\\/components\\\/schemas\\\/([A-Za-z]+)"/) {
            #expect(schemas.contains(String(match.1)), "unknown schema \(match.1)")
        }
    }
}
