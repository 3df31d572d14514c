import Foundation
import NIOCore
import NIOHTTP1

/// Attaching images and video: `POST /api/v2/media` with the file and its description, which
/// answers 200 when the file is ready or 202 while the instance still processes it (video);
/// then `GET /api/v1/media/:id` until it answers 200 (206 meanwhile).
extension MastodonClient {
    /// How long an instance may take to process a video before the post is retried later.
    static let processingPatience: TimeInterval = 120

    /// Uploads one file and waits until the instance can attach it; returns its media id.
    public func uploadMedia(_ media: MediaToPublish, accessToken: String) async throws -> String {
        var form = MultipartFormBody()
        form.add("file", file: media.bytes, filename: media.filename, type: media.mimeType)
        if !media.altText.isEmpty { form.add("description", value: media.altText) }
        let response = try await http.send(
            .POST, url("/api/v2/media"),
            headers: ["Authorization": "Bearer \(accessToken)", "Content-Type": form.contentType, "Accept": "application/json"],
            body: form.finished(), timeout: .seconds(Int64(60 + media.bytes.count / 100_000))
        )
        try Self.check(response, host: instanceURL.host ?? "")
        let attachment = try Self.decode(MastodonMediaAttachment.self, response)
        guard response.status == 202 else { return attachment.id }
        let started = Date()
        var wait: TimeInterval = 0.5
        while Date().timeIntervalSince(started) < Self.processingPatience {
            try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            let poll = try await http.send(.GET, url("/api/v1/media/\(attachment.id)"), headers: ["Authorization": "Bearer \(accessToken)", "Accept": "application/json"])
            if poll.status == 206 { wait = min(wait * 2, 5); continue }
            try Self.check(poll, host: instanceURL.host ?? "")
            return attachment.id
        }
        throw NetworkError.timedOut(host: instanceURL.host ?? "")
    }
}

/// The part of Mastodon's `MediaAttachment` entity a post needs.
struct MastodonMediaAttachment: Decodable {
    var id: String
}
