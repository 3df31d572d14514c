import Foundation
import Networks
import Synchronization
import Vapor

/// Meta's Graph API as the Threads, Instagram and Facebook fakes answer it: parameters in the query or, for a POST, a
/// form body over it, the access token among them (`access_token`, never a header); Meta's OAuth authorize page with
/// PKCE; errors as Graph's `{"error": {…}}`; `X-App-Usage` on every answer. What one fake does its own way stays in its file.
enum FakeGraph {
    /// The parameters of a call: the query's and a form body's, and the form's over the query's as Graph reads them.
    struct Given: Sendable {
        var query, form: [String: String]
        var merged: [String: String] { query.merging(form) { $1 } }
    }

    /// A call with its parameters (query and form merged), which the request log lacks.
    typealias Call = (method: String, path: String, parameters: [String: String])
    /// A code handed out by the authorize page: its challenge, redirect URI and scopes.
    typealias Code = (challenge: String, redirectURI: String, scope: String)

    /// What the pieces here read and keep in a fake's controls.
    protocol Controls: AnyObject, Sendable {
        var codes: Mutex<[String: Code]> { get }
        /// The person's tokens that work, and when they end; a spent one is gone.
        var accessTokens: Mutex<[String: Date]> { get }
        /// Every grant asked at the token endpoints, in order.
        var grants: Mutex<[String]> { get }
        /// The `X-App-Usage` of every answer that sets none of its own.
        var appUsage: Mutex<String> { get }
        var calls: Mutex<[Call]> { get }
    }

    /// Controls that issue the person's tokens as Threads and Instagram do: `<tokenPrefix>-short-1`, `<tokenPrefix>-long-2`…,
    /// one counter whatever their kind.
    protocol Tokens: Controls {
        static var tokenPrefix: String { get }
        var issued: Mutex<Int> { get }
    }

    /// A Graph fake on its loopback server: its address, and `with`, which starts one for a body and stops it after,
    /// whether the body threw or not.
    protocol Fake: Sendable {
        var server: FakeNetworkServer { get }
        static func start() async throws -> Self
    }

    /// What publishing answers instead of publishing, as Graph's limits and errors go: the app's limit, a business use
    /// case's (the case each fake names its own way), an ended token, or an error of Graph's own.
    protocol PublishFailure: Equatable, Sendable {
        static var rateLimited: Self { get }
        static var tokenExpired: Self { get }
        static var unknown: Self { get }
    }

    /// An answer a route throws instead of returning, for `Parameters` to give.
    struct Refusal: Error { let response: Response }

    /// Reads the query and a form body once for the routes, records the call, answers a refusal thrown, and puts the usage header on the answer.
    struct Parameters: AsyncMiddleware {
        let controls: any Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            var form: [String: String] = [:]
            if request.headers.contentType?.subType.lowercased() == "x-www-form-urlencoded" {
                form = formFields(try await request.body.collect(max: 1 << 20).get().map { String(buffer: $0) } ?? "")
            }
            let given = Given(query: formFields(request.url.query ?? ""), form: form)
            request.storage[GivenKey.self] = given
            controls.calls.withLock { $0.append((method: request.method.rawValue, path: request.url.path, parameters: given.merged)) }
            let response: Response
            do { response = try await next.respond(to: request) } catch let refusal as Refusal { response = refusal.response }
            if !response.headers.contains(name: "X-App-Usage") { response.headers.add(name: "X-App-Usage", value: controls.appUsage.withLock { $0 }) }
            return response
        }
    }

    /// The `access_token` parameter must be one the token endpoints issued, and not yet ended.
    struct Authorized: AsyncMiddleware {
        let controls: any Controls
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let ends = controls.accessTokens.withLock { $0[request.given.merged["access_token"] ?? ""] }
            guard let ends, ends > Date() else { return try expired(ends) }
            return try await next.respond(to: request)
        }
    }

    /// The authorize page, which sends the person straight back with a code (`<prefix>-code-…`) and the state, as if they
    /// allowed Trestle: the app, `code` as the response type, an S256 code challenge, a redirect URI and the state
    /// required; scopes comma-separated, all `known` and `required` among them (when there is one), or a 400.
    static func authorize(_ req: Request, _ controls: some Controls, clientID: String, known: Set<String>, required: String? = nil,
                          prefix: String, fragment: String? = nil) -> Response {
        let given = req.given.merged, scope = given["scope"] ?? ""
        let scopes = scope.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard given["client_id"] == clientID, given["response_type"] == "code", given["code_challenge_method"] == "S256",
              let challenge = given["code_challenge"], let redirect = given["redirect_uri"], var back = URLComponents(string: redirect),
              let state = given["state"], !scope.isEmpty, required.map({ scopes.contains($0) }) ?? true, scopes.allSatisfy(known.contains) else {
            return Response(status: .badRequest, body: "Invalid request: the app, redirect URI, scopes or code challenge are not right.")
        }
        let code = "\(prefix)-code-\(UUID().uuidString.prefix(8))"
        controls.codes.withLock { $0[code] = (challenge, redirect, scopes.joined(separator: ",")) }
        back.queryItems = (back.queryItems ?? []) + [URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: state)]
        if let fragment { back.fragment = fragment }
        return Response(status: .found, headers: ["Location": back.url!.absoluteString])
    }

    /// The token endpoint's exchange of a code as Threads and Instagram take it (`POST oauth/access_token`): client id and
    /// secret in the form body, the PKCE verifier and redirect URI checked against the authorization, a code spent by its
    /// first use, refusals in the endpoint's own error shape; `answer` gives the token for the code spent.
    static func spendCode(_ req: Request, _ controls: some Controls, clientID: String, clientSecret: String,
                          answer: (Code) throws -> Response) throws -> Response {
        let form = req.given.form
        controls.grants.withLock { $0.append(form["grant_type"] ?? "") }
        guard form["client_id"] == clientID else { return try tokenRefusal("Invalid platform app") }
        guard form["client_secret"] == clientSecret else { return try tokenRefusal("Error validating client secret.") }
        guard form["grant_type"] == "authorization_code", let code = form["code"], let issued = controls.codes.withLock({ $0.removeValue(forKey: code) }),
              issued.redirectURI == form["redirect_uri"], PKCEChallenge.of(form["code_verifier"] ?? "") == issued.challenge else {
            return try tokenRefusal("Matching code was not found or was already used")
        }
        return try answer(issued)
    }

    /// The exchange of the short token for a long one (`GET access_token`, grant `<prefix>_exchange_token`, with the app
    /// secret) and the long one's refresh (`GET refresh_access_token`, grant `<prefix>_refresh_token`), as Threads and
    /// Instagram take them: each spends the token it is given (`<prefix>-short-…`, `<prefix>-long-…`) for a 60-day one;
    /// a wrong grant is refused with `type`.
    static func longTokens<C: Tokens>(on routes: some RoutesBuilder, _ controls: C, clientSecret: String, type: String = "OAuthException") {
        let prefix = C.tokenPrefix
        for (path, grant, spent) in [("access_token", "\(prefix)_exchange_token", "\(prefix)-short-"), ("refresh_access_token", "\(prefix)_refresh_token", "\(prefix)-long-")] {
            routes.get(.constant(path)) { req async throws -> Response in
                let given = req.given.merged
                controls.grants.withLock { $0.append(given["grant_type"] ?? "") }
                guard given["grant_type"] == grant else { return try error(100, "(#100) Unsupported grant_type", type: type) }
                guard spent == "\(prefix)-long-" || given["client_secret"] == clientSecret, let old = given["access_token"], old.hasPrefix(spent),
                      let ends = controls.accessTokens.withLock({ $0.removeValue(forKey: old) }), ends > Date() else { return try expired(nil) }
                return try json(["access_token": controls.issueToken("long", lasting: 5_184_000), "token_type": "bearer", "expires_in": 5_184_000] as [String: Any])
            }
        }
    }

    /// Graph's error document; refusals are `OAuthException`s unless a fake says otherwise.
    static func error(_ code: Int, _ message: String, type: String = "OAuthException", subcode: Int? = nil,
                      status: HTTPStatus = .badRequest, headers: HTTPHeaders = [:]) throws -> Response {
        var error: [String: Any] = ["message": message, "type": type, "code": code, "fbtrace_id": "AbCdEf"]
        if let subcode { error["error_subcode"] = subcode }
        return try json(["error": error], status: status, headers: headers)
    }

    /// A required parameter left out, as Graph says it (code 100).
    static func missing(_ name: String, type: String = "OAuthException") throws -> Response {
        try error(100, "(#100) Missing required parameter: \(name)", type: type)
    }

    /// An object that does not exist, or that the token may not reach that way (code 100, subcode 33); a `GraphMethodException` unless a fake says otherwise.
    static func unsupported(_ verb: String, _ id: String?, type: String = "GraphMethodException") throws -> Response {
        try error(100, "Unsupported \(verb) request. Object with ID '\(id ?? "")' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                  type: type, subcode: 33)
    }

    /// An ended or unknown access token (code 190, subcode 463), the times in Pacific time as Graph writes them.
    static func expired(_ ends: Date?) throws -> Response {
        let pacific = formatter("EEEE, dd-MMM-yy HH:mm:ss zzz", zone: "America/Los_Angeles")
        return try error(190, "Error validating access token: Session has expired on \(pacific.string(from: ends ?? Date())). "
                         + "The current time is \(pacific.string(from: Date())).", subcode: 463)
    }

    /// A permission the person did not grant (code 10).
    static func notPermitted() throws -> Response { try error(10, "Application does not have permission for this action") }

    /// The answer of a failing publish: code 4 with a full `X-App-Usage`; the business use case's limit (`code` and
    /// `message`) with an `X-Business-Use-Case-Usage` under `id` of `type` (15 minutes to regain access); code 190; or an
    /// HTTP 500 of code 2.
    static func answer(_ failure: some PublishFailure, limit code: Int, _ message: String, id: String, type: String) throws -> Response {
        switch failure {
        case .rateLimited:
            return try error(4, "Application request limit reached", headers: ["X-App-Usage": #"{"call_count":100,"total_cputime":20,"total_time":20}"#])
        case .tokenExpired: return try expired(nil)
        case .unknown: return try error(2, "An unexpected error has occurred. Please retry your request later.", status: .internalServerError)
        default:
            let usage = #"{"\#(id)":[{"type":"\#(type)","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":15}]}"#
            return try error(code, message, headers: ["X-Business-Use-Case-Usage": usage])
        }
    }

    /// The answer of a list: its data, and Graph's cursors.
    static func list(_ data: [[String: Any]]) throws -> Response { try json(["data": data, "paging": ["cursors": ["before": "b", "after": "a"]]] as [String: Any]) }

    /// A time as Graph writes it: `2026-12-07T10:00:00+0000`.
    static func timestamp(_ date: Date) -> String { formatter().string(from: date) }

    /// A formatter of Graph's times (`timestamp`'s pattern unless another), in UTC unless another zone.
    static func formatter(_ pattern: String = "yyyy-MM-dd'T'HH:mm:ssZ", zone: String = "UTC") -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = pattern
        return formatter
    }
}

extension FakeGraph.Fake {
    var url: String { server.baseURL }

    func stop() async throws { try await server.stop() }

    /// Runs `body` with a fake started for it, stopped afterwards whatever happens.
    static func with(_ body: (Self) async throws -> Void) async throws {
        let fake = try await start()
        do { try await body(fake) } catch { try? await fake.stop(); throw error }
        try await fake.stop()
    }
}

extension FakeGraph.Tokens {
    /// The person's token of a kind (`short`, `long`), working for `seconds`.
    func issueToken(_ kind: String, lasting seconds: TimeInterval) -> String {
        let token = "\(Self.tokenPrefix)-\(kind)-\(issued.withLock { $0 += 1; return $0 })"
        accessTokens.withLock { $0[token] = Date().addingTimeInterval(seconds) }
        return token
    }
}

extension Request {
    /// The parameters `FakeGraph.Parameters` read for a Graph fake's routes.
    var given: FakeGraph.Given { storage[GivenKey.self] ?? FakeGraph.Given(query: [:], form: [:]) }
}

private struct GivenKey: StorageKey { typealias Value = FakeGraph.Given }

/// The token endpoint's own error shape.
private func tokenRefusal(_ message: String) throws -> Response {
    try json(["error_type": "OAuthException", "code": 400, "error_message": message] as [String: Any], status: .badRequest)
}

/// `a=1&b=x+y` as a form or query string: `+` a space, the rest percent-decoded.
private func formFields(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let decode = { (part: Substring) in part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
        fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return fields
}
