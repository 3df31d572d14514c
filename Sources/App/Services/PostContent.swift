import Foundation
import TextRules

/// What a post says, and what each channel of it will publish: the channel's own variant if
/// written, else its network's, else the post's parts — as a thread where the network has
/// threads, joined into one post where it has not. The composer's script follows the same rule.
struct PostContent: Sendable {
    var text: String
    var thread: [String]
    /// Keyed by channel id (lowercased) or network name.
    var variants: [String: String]

    func texts(for network: Network, channelID: UUID? = nil) -> [String] {
        if let id = channelID, let own = variants.first(where: { $0.key.lowercased() == id.uuidString.lowercased() })?.value {
            return [own]
        }
        if let own = variants[network.rawValue] { return [own] }
        let parts = [text] + thread
        return network.hasThreads || parts.count == 1 ? parts : [parts.joined(separator: "\n\n")]
    }

    /// Sentences naming the channel and what it refuses: text too long for its own limit,
    /// media it does not take.
    /// With `shortLinksUnder`, links are counted as the short links they will go out as. An
    /// answer (`answering`) goes as a reply or comment, which needs no media where a post does.
    func problems(on channel: Channel, media: [MediaItem], shortLinksUnder base: String? = nil, answering: Bool = false) -> [String] {
        let written = texts(for: channel.network, channelID: channel.id)
        let texts = base.map { LinkShortener.standIn(written, base: $0) } ?? written
        let rules = channel.textRules
        // The messages name the network already; the handle tells which of its channels.
        let label = "\(channel.handle):"
        var sentences: [String] = []
        for (index, text) in texts.enumerated() {
            let part = texts.count > 1 ? " part \(index + 1):" : ""
            let check = rules.rules(for: channel.network).check(text)
            sentences += check.problemMessages.map { "\(label)\(part) \($0.message)" }
        }
        var mediaRules = MediaRules.rules(for: channel.network)
        if answering { mediaRules.needsMedia = false }
        sentences += mediaRules.problems(with: media).map { "\(label) \($0)" }
        return sentences
    }
}
