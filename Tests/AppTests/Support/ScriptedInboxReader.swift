@testable import App
import Fluent
import Foundation
import Networks
import Synchronization
import Testing
import Vapor

/// An inbox reader the page tests control, for what the pages do with one: it reads nothing
/// (tests put items in with `take`), shows the conversation a test sets or fails as it says,
/// and puts the author's handle before an answer as Mastodon's reader does. The network
/// readers themselves are tested against the fakes of their networks.
final class ScriptedInboxReader: InboxReader, Sendable {
    let conversations = Mutex<Result<[InboxMessage], NetworkError>>(.success([]))

    func read(after cursor: String?, as account: PublishingAccount) async throws -> InboxReading {
        InboxReading(messages: [], counts: [], cursor: cursor, hasMore: false)
    }

    func conversation(of remoteID: String, as account: PublishingAccount) async throws -> [InboxMessage] {
        try conversations.withLock { $0 }.get()
    }

    func answerText(_ text: String, answering author: InboxAuthor) -> String {
        "@\(author.handle) \(text)"
    }
}

extension Application {
    /// Reads Mastodon's inboxes with `reader` from now on.
    func useInboxReader(_ reader: ScriptedInboxReader) {
        wiring.inboxReaders = InboxReaders(readers: [.mastodon: reader])
    }

    /// Keeps the messages as items of the channel, as a poll that read them would.
    @discardableResult
    func hear(_ messages: [InboxMessage], on channelID: String) async throws -> Int {
        let channel = try #require(try await App.Channel.find(UUID(uuidString: channelID), on: db))
        return try await wiring.inbox(on: db).take(messages, from: channel)
    }

    /// The item kept of a message, by the message's id on the network.
    func inboxItem(_ remoteID: String) async throws -> InboxItem {
        try #require(try await InboxItem.query(on: db).filter(\.$remoteID == remoteID).first())
    }
}

/// A message as a network reader makes one, its HTML made by `SafeHTML` as the readers do.
func inboxMessage(
    _ remoteID: String, _ kind: InboxMessage.Kind = .reply, text: String = "Are you open on Sunday?", name: String = "Mia Baker",
    handle: String = "mia@town.example", profileURL: String? = "https://town.example/@mia", avatarURL: String? = "https://town.example/avatars/mia.png",
    url: String? = nil, inReplyTo: String? = nil, at date: Date = Date(timeIntervalSince1970: 1_795_000_000)
) -> InboxMessage {
    InboxMessage(
        remoteID: remoteID, kind: kind, author: InboxAuthor(name: name, handle: handle, avatarURL: avatarURL, profileURL: profileURL),
        text: text, html: SafeHTML.paragraphs(text), createdAt: date, url: url ?? "https://town.example/@mia/\(remoteID)", inReplyTo: inReplyTo
    )
}
