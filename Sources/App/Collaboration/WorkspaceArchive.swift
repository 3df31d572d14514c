import Fluent
import Foundation
import SQLKit

/// All of a workspace's data as JSON lines — its channels (without their secrets), posts and
/// deliveries, media with their bytes, library, feeds, ideas, comments, activity, inbox and
/// short links — which an operator imports into another Trestle. Every line is
/// `{"type": …, "row": …}`, the row as the model encodes itself; people are named by email, so
/// an import links what they did to the same people there, or to nobody.
struct WorkspaceArchive: Sendable {
    static let format = "trestle-workspace/1"

    let db: any Database
    let wiring: Wiring

    /// A kind of row: how to read a workspace's rows, and how to put one back.
    private struct Table: Sendable {
        var type: String
        var rows: @Sendable (any Database, UUID) async throws -> [any Model & Encodable]
        var restore: @Sendable (any Database, Data, Scope) async throws -> Void
    }

    /// What an imported row may point at: the archive's own workspace and rows, and the people
    /// here. An archive is a file a person could have edited: a row that names another
    /// workspace, or a row outside the archive, must not reach into what this Trestle holds.
    struct Scope: Sendable {
        var workspace: UUID
        /// Every row id the archive holds.
        var rows: Set<UUID>
        /// The source's people, by their ids there, and who they are here.
        var people: [UUID: UUID] = [:]

        func person(_ id: UUID?) -> UUID? { id.flatMap { people[$0] } }

        /// An optional reference kept only when it is the archive's own.
        func own(_ id: UUID?) -> UUID? { id.flatMap { rows.contains($0) ? $0 : nil } }

        /// A reference the row cannot do without: the archive's own, or the file is refused.
        func require(_ id: UUID?) throws {
            guard let id, rows.contains(id) else {
                throw ServiceError.invalid(["file": "A row points at something that is not in the archive."], message: "Nothing was imported.")
            }
        }
    }

    private static func table<M: Model & Codable>(
        _ type: String, _: M.Type, rows: @escaping @Sendable (any Database, UUID) async throws -> [M],
        adjust: @escaping @Sendable (M, Scope) throws -> Bool
    ) -> Table {
        Table(type: type, rows: { db, workspace in try await rows(db, workspace) }, restore: { db, data, scope in
            let row = try JSONDecoder().decode(M.self, from: data)
            guard try adjust(row, scope) else { return }
            try await row.create(on: db)
        })
    }

    /// In the order an import needs: what is pointed at before what points at it. Each row is
    /// put into the imported workspace and may point only at the archive's rows.
    private static let tables: [Table] = [
        table("channel", Channel.self, rows: { db, ws in try await Channel.query(on: db).filter(\.$workspace.$id == ws).all() }) { channel, scope in
            channel.$workspace.id = scope.workspace
            // The secret key of this Trestle cannot open the other's sealed tokens: connect again.
            channel.sealedCredentials = Data()
            channel.status = .needsReconnect
            channel.problem = "Moved from another Trestle: connect the account again."
            return true
        },
        table("media", MediaItem.self, rows: { db, ws in try await MediaItem.query(on: db).filter(\.$workspace.$id == ws).all() }) { item, scope in
            item.$workspace.id = scope.workspace
            item.$uploader.id = scope.person(item.$uploader.id)
            return true
        },
        table("media_content", MediaContent.self, rows: { db, ws in
            let ids = try await MediaItem.query(on: db).filter(\.$workspace.$id == ws).all(\.$id)
            return ids.isEmpty ? [] : try await MediaContent.query(on: db).filter(\.$id ~~ ids).all()
        }) { content, scope in
            try scope.require(content.id)
            return true
        },
        table("library_category", LibraryCategory.self, rows: { db, ws in try await LibraryCategory.query(on: db).filter(\.$workspace.$id == ws).all() }) { category, scope in
            category.$workspace.id = scope.workspace
            return true
        },
        table("library_item", LibraryItem.self, rows: { db, ws in try await LibraryItem.query(on: db).filter(\.$workspace.$id == ws).all() }) { item, scope in
            item.$workspace.id = scope.workspace
            try scope.require(item.$category.id)
            item.media = item.media.compactMap(scope.own)
            return true
        },
        table("idea_column", IdeaColumn.self, rows: { db, ws in try await IdeaColumn.query(on: db).filter(\.$workspace.$id == ws).all() }) { column, scope in
            column.$workspace.id = scope.workspace
            return true
        },
        table("idea", Idea.self, rows: { db, ws in try await Idea.query(on: db).filter(\.$workspace.$id == ws).all() }) { idea, scope in
            idea.$workspace.id = scope.workspace
            try scope.require(idea.$column.id)
            idea.$author.id = scope.person(idea.$author.id)
            idea.imageID = scope.own(idea.imageID)
            return true
        },
        table("idea_vote", IdeaVote.self, rows: { db, ws in
            let ideas = try await Idea.query(on: db).filter(\.$workspace.$id == ws).all(\.$id)
            return ideas.isEmpty ? [] : try await IdeaVote.query(on: db).filter(\.$idea.$id ~~ ideas).all()
        }) { vote, scope in
            try scope.require(vote.$idea.id)
            guard let user = scope.person(vote.$user.id) else { return false }
            vote.$user.id = user
            return true
        },
        table("post", Post.self, rows: { db, ws in try await Post.query(on: db).filter(\.$workspace.$id == ws).all() }) { post, scope in
            post.$workspace.id = scope.workspace
            post.$author.id = scope.person(post.$author.id)
            post.media = post.media.compactMap(scope.own)
            post.ideaID = scope.own(post.ideaID)
            post.answersItemID = scope.own(post.answersItemID)
            return true
        },
        table("post_channel", PostChannel.self, rows: { db, ws in
            let posts = try await Post.query(on: db).filter(\.$workspace.$id == ws).all(\.$id)
            return posts.isEmpty ? [] : try await PostChannel.query(on: db).filter(\.$post.$id ~~ posts).all()
        }) { link, scope in
            try scope.require(link.$post.id)
            try scope.require(link.$channel.id)
            return true
        },
        table("delivery", Delivery.self, rows: { db, ws in
            let posts = try await Post.query(on: db).filter(\.$workspace.$id == ws).all(\.$id)
            return posts.isEmpty ? [] : try await Delivery.query(on: db).filter(\.$post.$id ~~ posts).all()
        }) { delivery, scope in
            try scope.require(delivery.$post.id)
            delivery.$channel.id = scope.own(delivery.$channel.id)
            return true
        },
        table("post_approval", PostApproval.self, rows: { db, ws in
            let posts = try await Post.query(on: db).filter(\.$workspace.$id == ws).all(\.$id)
            return posts.isEmpty ? [] : try await PostApproval.query(on: db).filter(\.$post.$id ~~ posts).all()
        }) { approval, scope in
            try scope.require(approval.$post.id)
            guard let user = scope.person(approval.$user.id) else { return false }
            approval.$user.id = user
            return true
        },
        table("comment", Comment.self, rows: { db, ws in try await Comment.query(on: db).filter(\.$workspace.$id == ws).all() }) { comment, scope in
            comment.$workspace.id = scope.workspace
            if comment.postID != nil { try scope.require(comment.postID) } else { try scope.require(comment.ideaID) }
            comment.$author.id = scope.person(comment.$author.id)
            return true
        },
        table("activity", Activity.self, rows: { db, ws in try await Activity.query(on: db).filter(\.$workspace.$id == ws).all() }) { entry, scope in
            entry.$workspace.id = scope.workspace
            entry.$actor.id = scope.person(entry.$actor.id)
            entry.postID = scope.own(entry.postID)
            return true
        },
        table("feed", FeedSubscription.self, rows: { db, ws in try await FeedSubscription.query(on: db).filter(\.$workspace.$id == ws).all() }) { feed, scope in
            feed.$workspace.id = scope.workspace
            feed.$createdBy.id = scope.person(feed.$createdBy.id)
            feed.channelList = feed.channelList.split(separator: ",").filter { UUID(uuidString: String($0)).flatMap(scope.own) != nil }.joined(separator: ",")
            return true
        },
        table("saved_reply", SavedReply.self, rows: { db, ws in try await SavedReply.query(on: db).filter(\.$workspace.$id == ws).all() }) { reply, scope in
            reply.$workspace.id = scope.workspace
            return true
        },
        table("inbox_item", InboxItem.self, rows: { db, ws in try await InboxItem.query(on: db).filter(\.$workspace.$id == ws).all() }) { item, scope in
            item.$workspace.id = scope.workspace
            item.$channel.id = scope.own(item.$channel.id)
            item.$assignee.id = scope.person(item.$assignee.id)
            item.postID = scope.own(item.postID)
            item.deliveryID = scope.own(item.deliveryID)
            return true
        },
        table("short_link", ShortLink.self, rows: { db, ws in try await ShortLink.query(on: db).filter(\.$workspace.$id == ws).all() }) { link, scope in
            link.$workspace.id = scope.workspace
            link.postID = scope.own(link.postID)
            link.deliveryID = scope.own(link.deliveryID)
            link.channelID = scope.own(link.channelID)
            return true
        },
    ]

    private struct Header: Codable {
        var format: String
        var workspace: String
        var name: String
        var approvalsRequired: Int
        var exportedAt: Date
    }

    private struct Person: Codable {
        var id: UUID
        var email: String
        var role: String?
    }

    // MARK: Export

    /// The workspace as JSON lines: a header, its people, then every row.
    func export(_ workspace: Workspace) async throws -> String {
        let workspaceID = try workspace.requireID()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines = [try Self.line("workspace", Header(format: Self.format, workspace: workspaceID.uuidString, name: workspace.name,
                                                           approvalsRequired: workspace.approvalsRequired, exportedAt: Date()), encoder)]
        // Everyone who may be named in a row: members, and anyone who left but wrote something.
        let members = try await Membership.query(on: db).filter(\.$workspace.$id == workspaceID).with(\.$user).all()
        for member in members {
            lines.append(try Self.line("person", Person(id: try member.user.requireID(), email: member.user.email, role: member.role.rawValue), encoder))
        }
        for table in Self.tables {
            for row in try await table.rows(db, workspaceID) {
                lines.append(#"{"row":"# + String(decoding: try encoder.encode(row), as: UTF8.self) + #","type":"\#(table.type)"}"#)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func line(_ type: String, _ value: some Encodable, _ encoder: JSONEncoder) throws -> String {
        #"{"row":"# + String(decoding: try encoder.encode(value), as: UTF8.self) + #","type":"\#(type)"}"#
    }

    // MARK: Import

    /// Makes the archived workspace here, in one transaction, owned by `owner`; members whose
    /// email has an account here join it with their role. Returns the new workspace.
    func importing(_ text: String, owner: User) async throws -> Workspace {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next(), let (type, row) = Self.split(first), type == "workspace",
              let header = try? JSONDecoder().decode(Header.self, from: row), header.format == Self.format, let workspaceID = UUID(uuidString: header.workspace) else {
            throw ServiceError.invalid(["file": "This is not a Trestle workspace archive (\(Self.format))."], message: "Nothing was imported.")
        }
        guard try await Workspace.find(workspaceID, on: db) == nil else {
            throw ServiceError.conflict("workspace_exists", "This Trestle has that workspace already: an archive is imported into another Trestle.")
        }
        let ownerID = try owner.requireID()
        let byType = Dictionary(uniqueKeysWithValues: Self.tables.map { ($0.type, $0) })
        let all = Array(IteratorSequence(lines))
        // Every row the archive holds, so that a row may point only at those.
        var ids: Set<UUID> = []
        for line in all {
            if let (type, row) = Self.split(line), type != "person",
               let object = try? JSONSerialization.jsonObject(with: row) as? [String: Any], let text = object["id"] as? String, let id = UUID(uuidString: text) {
                ids.insert(id)
            }
        }
        let rowIDs = ids
        return try await db.transaction { db in
            let workspace = Workspace(id: workspaceID, name: header.name)
            workspace.approvalsRequired = header.approvalsRequired
            try await workspace.create(on: db)
            try await Membership(workspaceID: workspaceID, userID: ownerID, role: .owner).create(on: db)
            var scope = Scope(workspace: workspaceID, rows: rowIDs)
            var stamps: [(String, UUID, Any?, Any?)] = []
            for (number, line) in all.enumerated() {
                guard let (type, row) = Self.split(line) else {
                    throw ServiceError.invalid(["file": "Line \(number + 2) is not a row of an archive."], message: "Nothing was imported.")
                }
                if type == "person" {
                    guard let person = try? JSONDecoder().decode(Person.self, from: row) else {
                        throw ServiceError.invalid(["file": "Line \(number + 2) is a person without an id and an email."], message: "Nothing was imported.")
                    }
                    guard let user = try await User.query(on: db).filter(\.$email == person.email.lowercased()).first(), let id = user.id else { continue }
                    scope.people[person.id] = id
                    if id != ownerID, person.role != nil {
                        try await Membership(workspaceID: workspaceID, userID: id, role: .member).create(on: db)
                    }
                    continue
                }
                guard let table = byType[type] else {
                    throw ServiceError.invalid(["file": "Line \(number + 2) is a \(type.prefix(40)), which this Trestle does not know."], message: "Nothing was imported.")
                }
                do {
                    try await table.restore(db, row, scope)
                } catch let error as ServiceError where error.kind == .invalid {
                    throw ServiceError.invalid(["file": "Line \(number + 2): \(error.fields["file"] ?? error.message)"], message: "Nothing was imported.")
                } catch is DecodingError {
                    throw ServiceError.invalid(["file": "Line \(number + 2) is a \(type.prefix(40)) this Trestle cannot read."], message: "Nothing was imported.")
                }
                // Creating stamps the rows as made now; they keep the times they had.
                if let object = try JSONSerialization.jsonObject(with: row) as? [String: Any], let text = object["id"] as? String, let id = UUID(uuidString: text) {
                    stamps.append((type, id, object["createdAt"], object["updatedAt"]))
                }
            }
            try await Self.restoreTimes(stamps, on: db)
            // What waits to be published goes at its time: once its channel is connected again,
            // or, if it is not by then, it waits for that like any delivery whose account left.
            let posts = try await Post.query(on: db).filter(\.$workspace.$id == workspaceID).all(\.$id)
            if !posts.isEmpty {
                for delivery in try await Delivery.query(on: db).filter(\.$post.$id ~~ posts).all() where delivery.state.isPending {
                    _ = try await wiring.jobs(on: db).enqueue(DeliveryService.publishJob, payload: #"{"delivery":"\#(try delivery.requireID().uuidString)"}"#,
                                                              runAt: delivery.scheduledAt)
                }
            }
            return workspace
        }
    }

    private static let schemas: [String: String] = [
        "channel": Channel.schema, "media": MediaItem.schema, "library_category": LibraryCategory.schema, "library_item": LibraryItem.schema,
        "idea": Idea.schema, "idea_vote": IdeaVote.schema, "post": Post.schema, "post_approval": PostApproval.schema, "comment": Comment.schema,
        "feed": FeedSubscription.schema, "short_link": ShortLink.schema, "delivery": Delivery.schema, "inbox_item": InboxItem.schema,
    ]

    private static func restoreTimes(_ stamps: [(String, UUID, Any?, Any?)], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for (type, id, created, updated) in stamps {
            guard let schema = schemas[type] else { continue }
            // JSONEncoder's default: seconds since 2001.
            if let created = created as? Double {
                try await sql.update(schema).set("created_at", to: SQLBind(Date(timeIntervalSinceReferenceDate: created))).where("id", .equal, SQLBind(id)).run()
            }
            if let updated = updated as? Double {
                try await sql.update(schema).set("updated_at", to: SQLBind(Date(timeIntervalSinceReferenceDate: updated))).where("id", .equal, SQLBind(id)).run()
            }
        }
    }

    /// A line's type and its row, as bytes to decode.
    private static func split(_ line: Substring) -> (String, Data)? {
        guard line.utf8.count <= 200 << 20, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let type = object["type"] as? String, let row = object["row"], JSONSerialization.isValidJSONObject(row),
              let data = try? JSONSerialization.data(withJSONObject: row) else { return nil }
        return (type, data)
    }
}
