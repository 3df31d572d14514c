import Foundation
import Vapor

/// The app view's counts of the account's posts, as `app.bsky.feed.getPosts` gives them
/// (`#postView` with `likeCount`, `repostCount`, `replyCount`, `quoteCount`): at most 25 URIs a
/// call, as the lexicon's `maxLength` says (more is a 400 `InvalidRequest`), and a post it does
/// not have left out of the answer.
extension FakeBluesky {
    /// Sets the counts the app view shows for the post at `uri`; the others stay as they were.
    func setCounts(of uri: String, likes: FakeCount? = nil, reposts: FakeCount? = nil, replies: FakeCount? = nil, quotes: FakeCount? = nil) {
        controls.postCounts.withLock { counts in
            var these = counts[uri] ?? [:]
            if let likes { these["likeCount"] = likes }
            if let reposts { these["repostCount"] = reposts }
            if let replies { these["replyCount"] = replies }
            if let quotes { these["quoteCount"] = quotes }
            counts[uri] = these
        }
    }

    /// The account deletes its post at `uri`: gone from its repository and the app view.
    func deletePost(_ uri: String) {
        let rkey = String(uri.split(separator: "/").last ?? "")
        controls.records.withLock { $0.removeAll { $0.rkey == rkey } }
    }

    static func registerMetrics(_ routes: any RoutesBuilder, accounts: [Account], controls: Controls) {
        routes.get("xrpc", "app.bsky.feed.getPosts") { req async throws -> Response in
            let token = req.headers.bearerAuthorization?.token
            guard accounts.contains(where: { controls.isLive(token, for: $0.did) }) else { return try expired(token ?? "", accounts) }
            // Repeated `uris=` parameters, as XRPC sends an array.
            let uris = (req.url.query ?? "").split(separator: "&").compactMap { pair -> String? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0] == "uris" else { return nil }
                return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            controls.getPostsCalls.withLock { $0.append(uris.count) }
            guard uris.count <= 25 else {
                return try json(["error": "InvalidRequest", "message": "Error: uris must not have more than 25 elements"], status: .badRequest)
            }
            let records = controls.records.withLock { $0 }
            let hidden = controls.hiddenFromAppView.withLock { $0 }
            let posts: [[String: Any]] = uris.compactMap { uri in
                guard !hidden.contains(uri), let record = records.first(where: { "at://\($0.repo)/app.bsky.feed.post/\($0.rkey)" == uri }),
                      let account = accounts.first(where: { $0.did == record.repo }) else { return nil }
                var view: [String: Any] = [
                    "uri": uri, "cid": "bafyrei\(record.rkey)", "author": ["did": account.did, "handle": account.handle],
                    "record": (try? JSONSerialization.jsonObject(with: record.json)) ?? [:], "indexedAt": "2026-01-01T00:00:00.000Z",
                    "likeCount": 0, "repostCount": 0, "replyCount": 0, "quoteCount": 0,
                ]
                for (key, value) in controls.postCounts.withLock({ $0[uri] ?? [:] }) { view[key] = value.json }
                return view
            }
            return try json(["posts": posts])
        }
    }
}
