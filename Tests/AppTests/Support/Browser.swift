@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

/// A browser in miniature: keeps the session cookie and fills in each form's CSRF token, so
/// tests walk the web UI as a person would.
final class Browser: @unchecked Sendable {
    let app: Application
    private(set) var cookie: String?
    private(set) var csrf: String?
    private(set) var lastCookieHeader: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, body: nil)
    }

    /// Posts a form; the CSRF token from the last page is added unless `csrf` is false.
    @discardableResult
    func post(_ path: String, _ fields: [String: String] = [:], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = fields
        if csrf, fields["_csrf"] == nil {
            if self.csrf == nil { try await get("/login") }
            fields["_csrf"] = self.csrf
        }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    /// Signs in through the login form.
    func logIn(_ email: String, _ password: String) async throws {
        try await get("/login")
        let response = try await post("/login", ["email": email, "password": password])
        #expect(response.status == .seeOther, "log in as \(email) answered \(response.status)")
        // Like a real browser, follow the redirect; the page it lands on carries the new CSRF token.
        var next = response.location
        for _ in 0..<5 {
            guard let location = next else { break }
            next = try await get(location).location
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: "trestle_session=\(cookie)") }
        if body != nil { headers.add(name: .contentType, value: "application/x-www-form-urlencoded") }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        if let setCookie = response.headers.first(name: .setCookie) {
            lastCookieHeader = setCookie
            let value = setCookie.split(separator: ";").first.map(String.init) ?? ""
            if setCookie.contains("Expires=Thu, 01 Jan 1970") || value == "trestle_session=" {
                cookie = nil
            } else if value.hasPrefix("trestle_session=") {
                cookie = String(value.dropFirst("trestle_session=".count))
            }
        }
        if let token = Self.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
}
