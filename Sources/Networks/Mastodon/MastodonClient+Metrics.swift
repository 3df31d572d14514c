import Foundation

/// Reading Mastodon's own counts: a status's (`GET /api/v1/statuses/:id`) and the account's
/// followers (`verify_credentials`). Any server can answer anything, so every count is checked
/// by `MetricCount` while it is decoded.
extension MastodonClient {
    /// What the instance says of a status of the account's.
    enum StatusCountsAnswer {
        case counts(PostCounts)
        /// Deleted, or no longer shown to the account: Mastodon answers 404 for both.
        case gone
        /// The answer was not a status with counts.
        case unreadable(String)
    }

    /// One status's counts. Errors that stand for the whole instance (credentials refused, the
    /// instance down or asking to wait) are thrown; a refusal of this status alone is answered.
    func statusCounts(_ id: String, accessToken: String) async throws -> StatusCountsAnswer {
        let response = try await http.send(.GET, url("/api/v1/statuses/\(try Self.pathSafe(id))"), headers: Self.bearer(accessToken))
        if response.status == 404 || response.status == 410 { return .gone }
        do {
            try Self.check(response, host: instanceURL.host ?? "")
        } catch let error as NetworkError where !error.isTransient && !Self.isAccountWide(error) {
            return .unreadable(error.description)
        }
        do {
            return .counts(try JSONDecoder().decode(MastodonStatusCounts.self, from: response.body).counts)
        } catch {
            return .unreadable("\(instanceURL.host ?? "The instance") answered with counts that are not the Mastodon API's (missing, negative or out of range).")
        }
    }

    /// How many follow the account the token belongs to.
    func followersCount(accessToken: String) async throws -> Int {
        let response = try await http.send(.GET, url("/api/v1/accounts/verify_credentials"), headers: Self.bearer(accessToken))
        try Self.check(response, host: instanceURL.host ?? "")
        guard let count = try Self.decode(MastodonAccountCounts.self, response).followers else {
            throw NetworkError.unexpectedResponse("\(instanceURL.host ?? "The instance") does not say how many follow the account.")
        }
        return count
    }

    private static func isAccountWide(_ error: NetworkError) -> Bool {
        if case .unauthorized = error { return true }
        return false
    }
}

/// The counts on Mastodon's `Status` entity. `quotes_count` came with Mastodon 4.5 and is nil
/// before; Mastodon counts no impressions.
struct MastodonStatusCounts: Decodable {
    var counts: PostCounts

    enum CodingKeys: String, CodingKey {
        case favourites = "favourites_count"
        case reblogs = "reblogs_count"
        case replies = "replies_count"
        case quotes = "quotes_count"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        counts = PostCounts(
            likes: try MetricCount.decode(container, .favourites), reposts: try MetricCount.decode(container, .reblogs),
            replies: try MetricCount.decode(container, .replies), quotes: try MetricCount.decode(container, .quotes), impressions: nil
        )
    }
}

/// `followers_count` on Mastodon's `Account` entity, read apart from `MastodonAccount` so an odd
/// count on someone else's account never stops an inbox reading it.
struct MastodonAccountCounts: Decodable {
    var followers: Int?

    enum CodingKeys: String, CodingKey {
        case followers = "followers_count"
    }

    init(from decoder: any Decoder) throws {
        followers = try MetricCount.decode(try decoder.container(keyedBy: CodingKeys.self), .followers)
    }
}
