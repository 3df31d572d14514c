import Vapor

/// Answers every failed request: the documented JSON error on `/api`, a friendly page elsewhere.
struct ErrorPages: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (appError, unexpected) = AppError.translating(error)
            if unexpected {
                request.logger.report(error: error)
            }
            if request.isAPI {
                return try jsonResponse(appError)
            }
            return await page(for: appError, on: request)
        }
    }

    private func jsonResponse(_ error: AppError) throws -> Response {
        let response = Response(status: error.status, headers: error.headers)
        try response.content.encode(ErrorBody(error: .init(code: error.code, message: error.message, fields: error.fields)))
        return response
    }

    private func page(for error: AppError, on request: Request) async -> Response {
        struct Context: Encodable {
            var page: PageContext
            var status: UInt
            var heading: String
            var message: String
        }
        let heading: String
        switch error.status {
        case .notFound: heading = "Page not found"
        case .tooManyRequests: heading = "Slow down a little"
        case .forbidden: heading = "Not allowed"
        case .gone: heading = "This link cannot be used"
        case .internalServerError: heading = "Something went wrong"
        default: heading = "That did not work"
        }
        let context = Context(
            page: PageContext(errorFor: request, title: heading),
            status: error.status.code, heading: heading, message: error.message
        )
        do {
            let view = try await request.view.render("error", context)
            let response = try await view.encodeResponse(for: request)
            response.status = error.status
            error.headers.forEach { response.headers.replaceOrAdd(name: $0.name, value: $0.value) }
            return response
        } catch {
            request.logger.report(error: error)
            return Response(status: context.status == 404 ? .notFound : .internalServerError, body: .init(string: "\(heading). \(context.message)"))
        }
    }
}

extension Request {
    /// JSON API requests (and the web UI's own scripts, which ask for JSON) get JSON errors;
    /// everything else is a page.
    var isAPI: Bool {
        url.path.hasPrefix("/api/") || url.path == "/healthz"
            || headers.accept.first?.mediaType == .json
    }
}
