import Foundation
import Networks

/// One inbox item as the list and its own page show it. Everything here is escaped by Leaf
/// but `html`, which is `SafeHTML` already (p, br and http(s) links only); every address from
/// the network is kept only when it is an http(s) one, so a `javascript:` link never reaches a
/// page.
struct ItemLine: Encodable {
    var id: String
    var url: String
    var authorName: String
    var authorHandle: String
    /// Shown in place of a picture when there is none.
    var initial: String
    var authorURL: String?
    var avatarURL: String?
    var kind: String
    var kindLabel: String
    /// A direct message: seen by the account alone.
    var isPrivate: Bool
    var channelHandle: String
    var networkName: String
    var saidAt: Date
    var html: String
    /// The post of ours it answers, when Trestle published it.
    var postURL: String?
    /// Its page on the network.
    var remoteURL: String?
    var state: String
    var isDone: Bool
    var isUnread: Bool
    /// Its channel was disconnected: kept to read, not to work.
    var isReadOnly: Bool
    var assignee: String?
    var stateURL: String

    init(_ item: InboxItem, in workspaceID: UUID, assignees: [UUID: String]) throws {
        let id = try item.requireID()
        self.id = id.uuidString
        url = InboxURL.item(workspaceID, id)
        authorName = item.authorName
        authorHandle = item.authorHandle
        initial = item.authorName.first { $0.isLetter || $0.isNumber }.map { String($0).uppercased() } ?? "?"
        authorURL = Self.webAddress(item.authorURL)
        avatarURL = Self.pictureAddress(item.authorAvatarURL)
        kind = item.kind.rawValue
        kindLabel = Self.kindLabel(item.kind)
        isPrivate = item.isPrivate
        channelHandle = item.channelHandle
        networkName = item.network.displayName
        saidAt = item.saidAt
        html = item.html
        postURL = item.postID.map { InboxURL.post(workspaceID, $0) }
        remoteURL = Self.webAddress(item.remoteURL)
        state = item.state.rawValue
        isDone = item.state == .done
        isUnread = item.readAt == nil
        isReadOnly = item.isReadOnly
        assignee = item.$assignee.id.flatMap { assignees[$0] }
        stateURL = InboxURL.state(workspaceID, id)
    }

    static func kindLabel(_ kind: InboxMessage.Kind) -> String {
        switch kind {
        case .reply: "Reply"
        case .mention: "Mention"
        case .quote: "Quote"
        case .message: "Private message"
        }
    }

    /// `address` when it is an https address: the inbox pages allow pictures from https
    /// sites only (`picturePolicy`), and a plain-http one would be mixed content on an https
    /// Trestle. The author's initial stands in otherwise.
    static func pictureAddress(_ address: String?) -> String? {
        webAddress(address).flatMap { $0.lowercased().hasPrefix("https://") ? $0 : nil }
    }

    /// The inbox pages' Content-Security-Policy: people's pictures come from their servers.
    /// The page asks for them without a referrer.
    static let picturePolicy = SecurityHeaders.contentSecurityPolicy(images: "'self' data: https:")

    /// `address` when it is an http(s) address with a host; nil otherwise. The readers check
    /// this already; a page does not rely on it.
    static func webAddress(_ address: String?) -> String? {
        guard let address, address.utf8.count <= 2_048, let url = URL(string: address), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host?.isEmpty == false else { return nil }
        return address
    }
}
