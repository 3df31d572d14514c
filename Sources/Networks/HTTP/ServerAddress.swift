import Foundation

/// A server's address as people type it — `mastodon.social`, `https://pds.example.com/`,
/// `https://mastodon.social/@shop` — as the base URL its API lives under: http(s), lower-case
/// host, port kept, no path, no user.
enum ServerAddress {
    /// `example` names a typical address in the error, as in "such as mastodon.social".
    static func baseURL(from typed: String, example: String, what: String) throws -> URL {
        var text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.contains("://") { text = "https://" + text }
        guard
            var components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = components.host, !host.isEmpty, components.user == nil
        else {
            throw NetworkError.invalidURL("Type the \(what)'s address, such as \(example).")
        }
        components.scheme = scheme
        components.host = host.lowercased()
        components.path = ""
        components.query = nil
        components.fragment = nil
        guard let url = components.url else { throw NetworkError.invalidURL("Type the \(what)'s address, such as \(example).") }
        return url
    }
}
