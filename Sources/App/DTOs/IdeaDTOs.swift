import Foundation
import Vapor

/// `{"title", "note", "link", "image", "column"}`: an idea to add, or what changes of one
/// (a field left out stays as it is; `null` link or image: none). `column` is a column's id
/// or name.
struct IdeaRequest: APIRequestBody {
    static let fields: Set<String> = ["title", "note", "link", "image", "column"]
    var title: String?
    var note: String?
    var link: String??
    var image: UUID??
    var column: String?

    private enum CodingKeys: String, CodingKey {
        case title, note, link, image, column
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        link = try container.decodeChange(String.self, forKey: .link)
        image = try container.decodeChange(UUID.self, forKey: .image)
        column = try container.decodeIfPresent(String.self, forKey: .column)
    }

    var input: IdeaBoard.Input {
        .init(title: title, note: note, link: link, image: image, column: column)
    }
}

/// `{"name", "position"}`: a column to add (its name), or what changes of one.
struct IdeaColumnRequest: APIRequestBody {
    static let fields: Set<String> = ["name", "position"]
    var name: String?
    var position: Int?
}

/// An idea as API.md shapes it — `{"id", "title", "note", "votes", "column"}` — with who voted,
/// its link and image, and the drafts made from it.
struct IdeaDTO: Content {
    struct Voter: Content {
        var id: String
        var email: String
    }

    var id: String
    var title: String
    var note: String
    /// How many members voted for it.
    var votes: Int
    /// Its column's name.
    var column: String
    var columnId: String
    var voters: [Voter]
    /// Whether the caller is among the voters.
    var votedByMe: Bool
    var link: String?
    var image: String?
    /// The author's email; nil once they left Trestle.
    var author: String?
    /// The drafts made from it, oldest first.
    var drafts: [String]
    var createdAt: Date?
    var updatedAt: Date?

    init(_ card: IdeaBoard.Card, for caller: User) throws {
        let idea = card.idea
        id = try idea.requireID().uuidString
        title = idea.title
        note = idea.note
        votes = card.voters.count
        column = card.column.name
        columnId = try card.column.requireID().uuidString
        voters = card.voters.map { Voter(id: $0.id.uuidString, email: $0.email) }
        votedByMe = try card.voters.contains { try $0.id == caller.requireID() }
        link = idea.link
        image = idea.imageID?.uuidString
        author = card.author
        drafts = card.drafts.map(\.uuidString)
        createdAt = idea.createdAt
        updatedAt = idea.updatedAt
    }

    /// Every key written, null included.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(note, forKey: .note)
        try container.encode(votes, forKey: .votes)
        try container.encode(column, forKey: .column)
        try container.encode(columnId, forKey: .columnId)
        try container.encode(voters, forKey: .voters)
        try container.encode(votedByMe, forKey: .votedByMe)
        try container.encode(link, forKey: .link)
        try container.encode(image, forKey: .image)
        try container.encode(author, forKey: .author)
        try container.encode(drafts, forKey: .drafts)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

struct IdeaColumnDTO: Content {
    var id: String
    var name: String
    /// 0 is the first column.
    var position: Int

    init(_ column: IdeaColumn) throws {
        id = try column.requireID().uuidString
        name = column.name
        position = column.position
    }
}
