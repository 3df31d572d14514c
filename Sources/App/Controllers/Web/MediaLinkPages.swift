import Vapor

/// `GET /media-links/{id}/{expires}/{signature}`: the one file a signed address names, for a
/// network that fetches a post's media itself. No session; anything wrong is a 404.
enum MediaLinkPages {
    @Sendable static func content(_ req: Request) async throws -> Response {
        guard let links = req.wiring.mediaLinks, let id = req.parameters.get("media").flatMap(UUID.init(uuidString:)),
              links.isValid(mediaID: id, expires: req.parameters.get("expires") ?? "", signature: req.parameters.get("signature") ?? "",
                            now: req.wiring.clock.now()),
              let item = try await MediaItem.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        let bytes = try await MediaService(db: req.db).content(of: item)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: item.format.mimeType)
        headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }
}
