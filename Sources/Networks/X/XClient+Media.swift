import Foundation

/// Media through the v2 upload: `POST /2/media/upload/initialize` with the type and size,
/// the bytes in chunks (`/append`, at most 4 MiB each), `/finalize`, then, while X processes
/// it (video, GIF), `GET /2/media/upload?command=STATUS` as often as X says; the alt text with
/// `POST /2/media/metadata`.
extension XClient {
    static let chunkSize = 4 << 20
    /// How long X may take to process a video before the post is retried later.
    static let processingPatience: TimeInterval = 180

    struct Processing: Decodable {
        struct Failure: Decodable { var message: String? }
        var state: String
        var check_after_secs: Double?
        var error: Failure?
    }

    struct Upload: Decodable {
        var id: String
        var processing_info: Processing?
    }

    /// Uploads one file and waits until X can attach it; returns its media id.
    public func uploadMedia(_ media: MediaToPublish) async throws -> String {
        struct Initialize: Encodable {
            var media_type: String
            var total_bytes: Int
            var media_category: String
        }
        let category = media.isVideo ? "tweet_video" : media.mimeType == "image/gif" ? "tweet_gif" : "tweet_image"
        let started = try await send(.POST, "/2/media/upload/initialize",
                                     json: Initialize(media_type: media.mimeType, total_bytes: media.bytes.count, media_category: category))
        let id = try Self.checkedID(try Self.decode(Envelope<Upload>.self, started).data.id)
        var index = 0
        var offset = 0
        while offset < media.bytes.count {
            let chunk = media.bytes.subdata(in: offset..<min(offset + Self.chunkSize, media.bytes.count))
            var form = MultipartFormBody()
            form.add("segment_index", value: String(index))
            form.add("media", file: chunk, filename: media.filename, type: "application/octet-stream")
            var headers = headers
            headers.add(name: "Content-Type", value: form.contentType)
            let response = try await http.send(.POST, url("/2/media/upload/\(id)/append"), headers: headers, body: form.finished(),
                                               timeout: .seconds(Int64(60 + chunk.count / 100_000)))
            try Self.check(response)
            offset += chunk.count
            index += 1
        }
        let finalizing = try await http.send(.POST, url("/2/media/upload/\(id)/finalize"), headers: headers)
        try Self.check(finalizing)
        let finalized = try Self.decode(Envelope<Upload>.self, finalizing)
        try await waitForProcessing(id, finalized.data.processing_info)
        if !media.altText.isEmpty {
            struct Metadata: Encodable {
                struct Fields: Encodable { struct Alt: Encodable { var text: String }; var alt_text: Alt }
                var id: String
                var metadata: Fields
            }
            _ = try await send(.POST, "/2/media/metadata", json: Metadata(id: id, metadata: .init(alt_text: .init(text: String(media.altText.prefix(1_000))))))
        }
        return id
    }

    private func waitForProcessing(_ id: String, _ first: Processing?) async throws {
        var processing = first
        let started = Date()
        while let info = processing, info.state != "succeeded" {
            guard info.state != "failed" else {
                throw NetworkError.rejected(status: 400, message: "X could not process the file: \(info.error?.message?.prefix(200) ?? "no reason given")")
            }
            guard Date().timeIntervalSince(started) < Self.processingPatience else { throw NetworkError.timedOut(host: apiBase.host ?? "X") }
            let wait = min(max(info.check_after_secs ?? 1, 0.1), 30)
            try await Task.sleep(for: .milliseconds(Int(wait * 1_000)))
            let status = try await get("/2/media/upload", [("command", "STATUS"), ("media_id", id)])
            processing = try Self.decode(Envelope<Upload>.self, status).data.processing_info
        }
    }
}
