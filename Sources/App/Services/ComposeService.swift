import Foundation
import TextRules

/// Checks a text against the networks' own rules: the counting the composer shows as you type
/// and the API's `compose/check` answer come from here.
struct ComposeService: Sendable {
    /// Longer than the longest post any network takes (Facebook's 63,206), with room to spare;
    /// beyond it a text is refused outright instead of being counted.
    static let maximumTextLength = 100_000

    var catalog: TextRulesCatalog = .standard

    /// The networks named in a request, or field errors saying which names are unknown.
    static func networks(from names: [String]) throws -> [Network] {
        if names.isEmpty {
            throw ServiceError.invalid(["networks": "Choose at least one network: \(Network.allCases.map(\.rawValue).joined(separator: ", "))."])
        }
        var networks: [Network] = []
        for name in names {
            guard let network = Network(rawValue: name) else {
                throw ServiceError.invalid(["networks": "Unknown network \"\(name.prefix(40))\". Use one of: \(Network.allCases.map(\.rawValue).joined(separator: ", "))."])
            }
            if !networks.contains(network) { networks.append(network) }
        }
        return networks
    }

    func check(_ text: String, for networks: [Network]) throws -> [(Network, TextCheck)] {
        try Self.checkLength(text)
        let results = catalog.check(text, for: networks)
        return networks.compactMap { network in results[network].map { (network, $0) } }
    }

    /// Checks `text` as each channel counts it: its network's rules with the channel's own limits.
    /// With `shortLinksUnder`, a channel that shortens links counts them as the short links they
    /// will go out as; the links, mentions and tags found are still the text's own.
    func check(_ text: String, for channels: [Channel], shortLinksUnder base: String? = nil) throws -> [(Channel, TextCheck)] {
        try Self.checkLength(text)
        let shortened = base.map { LinkShortener.standIn([text], base: $0)[0] }
        return channels.map { channel in
            let rules = channel.textRules.rules(for: channel.network)
            var check = rules.check(text)
            if let shortened, shortened != text, channel.network != .site {
                let counted = rules.check(shortened)
                check.length = counted.length
                check.valid = counted.valid
                check.problems = counted.problems
            }
            return (channel, check)
        }
    }

    private static func checkLength(_ text: String) throws {
        if text.utf16.count > maximumTextLength {
            throw ServiceError.invalid(["text": "This text is longer than any network accepts (\(maximumTextLength.formatted()) characters at most here)."])
        }
    }
}

extension Network {
    /// Whether a post can be a thread of several parts here.
    /// (A Site entry shows a thread's parts together, one after the other.)
    var hasThreads: Bool { [.x, .mastodon, .bluesky, .threads, .site].contains(self) }

    /// Whether the network is Trestle itself (the Site channel): nothing outside to sign in to,
    /// check or ask.
    var livesInTrestle: Bool { self == .site }
}

extension TextCheck {
    /// A sentence per problem, naming the network and what to change.
    var problemMessages: [(code: String, message: String)] {
        problems.map { problem in
            let name = network.displayName
            switch problem {
            case .tooLong:
                return (problem.rawValue, "\(name) allows \(limit.formatted()); this is \(length.formatted()). Shorten it by \((length - limit).formatted()).")
            case .tooManyBytes:
                return (problem.rawValue, "\(name) stores at most 3,000 bytes of text; use fewer emoji or accented letters, or shorten it.")
            case .tooManyHashtags:
                return (problem.rawValue, "\(name) allows at most 30 hashtags.")
            case .tooManyMentions:
                return (problem.rawValue, "\(name) allows at most 20 mentions.")
            case .tooManyLinks:
                return (problem.rawValue, "\(name) allows at most 5 links.")
            case .invalidCharacters:
                return (problem.rawValue, "\(name) refuses some characters in this text (U+FFFE, U+FEFF or U+FFFF).")
            }
        }
    }
}
