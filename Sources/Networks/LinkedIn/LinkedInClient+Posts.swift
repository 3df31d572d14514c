import Foundation

/// Posting on LinkedIn: images and videos put first (`initializeUpload`, then the upload
/// address; a video in parts, finalized, then waited for), then `POST /rest/posts`, whose id
/// comes back in the `x-restli-id` header.
extension LinkedInClient {
    /// Puts an image up for `owner`; returns its URN.
    func uploadImage(_ media: MediaToPublish, owner: String) async throws -> String {
        struct Answer: Decodable { struct Value: Decodable { var uploadUrl: String; var image: String }; var value: Value }
        let body = try JSONSerialization.data(withJSONObject: ["initializeUploadRequest": ["owner": owner]])
        let answer = try Self.decode(Answer.self, try await send(.POST, "/rest/images", query: [("action", "initializeUpload")], json: body))
        try await put(media.bytes, to: answer.value.uploadUrl)
        return try Self.checkedURN(answer.value.image)
    }

    /// Puts a video up for `owner` in the parts LinkedIn asks for, and waits until it is
    /// available; returns its URN.
    func uploadVideo(_ media: MediaToPublish, owner: String, readyCheck: (interval: Duration, times: Int)) async throws -> String {
        struct Answer: Decodable {
            struct Part: Decodable { var uploadUrl: String; var firstByte: Int; var lastByte: Int }
            struct Value: Decodable { var video: String; var uploadInstructions: [Part]; var uploadToken: String? }
            var value: Value
        }
        let body = try JSONSerialization.data(withJSONObject: ["initializeUploadRequest": [
            "owner": owner, "fileSizeBytes": media.bytes.count, "uploadCaptions": false, "uploadThumbnail": false,
        ] as [String: Any]])
        let answer = try Self.decode(Answer.self, try await send(.POST, "/rest/videos", query: [("action", "initializeUpload")], json: body))
        let video = try Self.checkedURN(answer.value.video)
        var etags: [String] = []
        for part in answer.value.uploadInstructions.prefix(1_000) {
            guard part.firstByte >= 0, part.firstByte <= part.lastByte, part.lastByte < media.bytes.count else {
                throw NetworkError.unexpectedResponse("LinkedIn asked for a part of the video that is not in it.")
            }
            etags.append(try await put(media.bytes.subdata(in: part.firstByte..<(part.lastByte + 1)), to: part.uploadUrl) ?? "")
        }
        let finalize = try JSONSerialization.data(withJSONObject: ["finalizeUploadRequest": [
            "video": video, "uploadToken": answer.value.uploadToken ?? "", "uploadedPartIds": etags,
        ] as [String: Any]])
        _ = try await send(.POST, "/rest/videos", query: [("action", "finalizeUpload")], json: finalize)
        struct State: Decodable { var status: String? }
        for check in 0..<readyCheck.times {
            switch try Self.decode(State.self, try await send(.GET, "/rest/videos/\(Self.encoded(video))")).status {
            case "AVAILABLE": return video
            case "PROCESSING_FAILED": throw NetworkError.rejected(status: 422, message: "LinkedIn could not process the video.")
            default: if check + 1 < readyCheck.times { try await Task.sleep(for: readyCheck.interval) }
            }
        }
        throw NetworkError.rejected(status: 503, message: "LinkedIn was still processing the video.")
    }

    /// PUTs bytes to an upload address LinkedIn gave; returns the part's ETag.
    @discardableResult
    private func put(_ bytes: Data, to address: String) async throws -> String? {
        guard let url = URL(string: address), url.scheme == "https" || url.scheme == "http" else {
            throw NetworkError.unexpectedResponse("LinkedIn gave an upload address that is not one.")
        }
        let response = try await http.send(.PUT, url, headers: ["Authorization": "Bearer \(accessToken)", "Content-Type": "application/octet-stream"], body: bytes)
        try Self.check(response)
        return response.header("ETag")
    }

    /// A post by `author` with `commentary` (escaped as little text here) and its media; returns its URN.
    func createPost(author: String, commentary: String, media: [(urn: String, altText: String)]) async throws -> String {
        var post: [String: Any] = [
            "author": author, "commentary": LittleText.escaped(commentary), "visibility": "PUBLIC", "lifecycleState": "PUBLISHED",
            "distribution": ["feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []] as [String: Any],
            "isReshareDisabledByAuthor": false,
        ]
        if media.count == 1 {
            post["content"] = ["media": ["id": media[0].urn, "altText": media[0].altText]]
        } else if media.count > 1 {
            post["content"] = ["multiImage": ["images": media.map { ["id": $0.urn, "altText": $0.altText] }]]
        }
        let response = try await send(.POST, "/rest/posts", json: try JSONSerialization.data(withJSONObject: post, options: [.sortedKeys]))
        guard let id = response.header("x-restli-id") else { throw NetworkError.unexpectedResponse("LinkedIn made the post but did not say its id.") }
        return try Self.checkedURN(id)
    }

    struct Post: Decodable {
        var id: String
        var commentary: String?
        var createdAt: Double?
    }

    /// The author's newest posts.
    func posts(by author: String, count: Int) async throws -> [Post] {
        let response = try await send(.GET, "/rest/posts", query: [("author", author), ("q", "author"), ("count", String(count)), ("sortBy", "LAST_MODIFIED")])
        return (try Self.decode(Elements<Post>.self, response).elements ?? []).prefix(count).filter { (try? Self.checkedURN($0.id)) != nil }
    }

    func deletePost(_ urn: String) async throws {
        do {
            _ = try await send(.DELETE, "/rest/posts/\(Self.encoded(try Self.checkedURN(urn)))")
        } catch NetworkError.rejected(status: 404, _) {
            // Gone already.
        }
    }
}
