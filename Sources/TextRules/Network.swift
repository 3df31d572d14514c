/// A social network Trestle publishes to, named as the API and the database name it.
public enum Network: String, Sendable, Hashable, Codable, CaseIterable {
    case x
    case mastodon
    case bluesky
    case linkedin
    case facebook
    case instagram
    case threads
    /// Trestle's own public page and feeds for a channel: the one network that lives inside it.
    case site
}

extension Network {
    /// The network's name as people write it.
    public var displayName: String {
        switch self {
        case .x: "X"
        case .mastodon: "Mastodon"
        case .bluesky: "Bluesky"
        case .linkedin: "LinkedIn"
        case .facebook: "Facebook"
        case .instagram: "Instagram"
        case .threads: "Threads"
        case .site: "Site"
        }
    }
}
