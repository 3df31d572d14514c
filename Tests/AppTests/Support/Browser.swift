@testable import App
import AsyncHTTPClient
import Foundation
import Testing
import Vapor
import VaporTesting

/// A browser in miniature: keeps its cookies and fills in each form's CSRF token, so tests
/// walk the web UI as a person would. `method: .running` sends real HTTP over loopback, where a
/// large body arrives in pieces as it does from a browser.
final class Browser: @unchecked Sendable {
    let app: Application
    private let method: Application.Method
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf: String?
    /// The last `Set-Cookie` header of each cookie, attributes and all.
    private(set) var setCookieHeaders: [String: String] = [:]

    init(_ app: Application, method: Application.Method = .inMemory) {
        self.app = app
        self.method = method
    }

    /// The session cookie's value, when there is a session.
    var cookie: String? { cookies["trestle_session"] }

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

    /// Posts a form with its fields in this order, the CSRF token last, over a real loopback
    /// socket, as a browser sends a large form: in pieces, its token field closing it.
    func postOverSocket(_ path: String, inOrder fields: [(String, String)]) async throws -> (status: HTTPStatus, text: String) {
        if csrf == nil { try await get("/login") }
        let body = (fields + [("_csrf", csrf ?? "")]).map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: HTTPClient.shared.eventLoopGroup, configuration: configuration)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
        request.headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let text = String(buffer: try await response.body.collect(upTo: 10 << 20))
            try await client.shutdown()
            await app.server.shutdown()
            return (response.status, text)
        } catch {
            try? await client.shutdown()
            await app.server.shutdown()
            throw error
        }
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
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if body != nil { headers.add(name: .contentType, value: "application/x-www-form-urlencoded") }
        let response = try await app.testing(method: self.method).sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for setCookie in response.headers[.setCookie] {
            let pair = (setCookie.split(separator: ";").first.map(String.init) ?? "").split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let (name, value) = (String(pair[0]), String(pair[1]))
            setCookieHeaders[name] = setCookie
            if setCookie.contains("Expires=Thu, 01 Jan 1970") || value.isEmpty {
                cookies[name] = nil
            } else {
                cookies[name] = value
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
