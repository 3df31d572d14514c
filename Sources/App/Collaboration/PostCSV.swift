import Fluent
import Foundation
import Networks

/// Posts in and out as CSV. Importing reads a header naming its columns — `text` (needed),
/// `channels` (handles or ids, apart by spaces, `;` or `|`), `time` (an RFC 3339 instant,
/// `queue`, or empty for a draft) and `media_urls` (http(s) addresses, apart by spaces) — checks
/// every row against every channel it names before anything is made, and then makes all of the
/// posts or none. A dry run shows each row's problems and makes nothing. Exporting writes every
/// post with each delivery and its outcome.
struct PostCSV: Sendable {
    static let columns = ["text", "channels", "time", "media_urls"]
    static let mostRows = 1_000
    static let longestFile = 5_000_000
    static let longestMediaFile = 20 << 20
    /// What one file may have fetched, in all: each address is a call to someone's server, and
    /// its bytes are held until the posts are made.
    static let mostMediaPerFile = 50
    static let mostMediaBytesPerFile = 200 << 20

    let db: any Database
    let wiring: Wiring

    struct Row: Sendable {
        var line: Int
        /// What keeps it from being made, each naming its field or its channel.
        var problems: [String]
    }

    struct Outcome: Sendable {
        var rows: [Row]
        var created: [UUID]
        var dryRun: Bool
        var isClean: Bool { rows.allSatisfy(\.problems.isEmpty) }
    }

    /// A row read and checked, ready to be made.
    private struct Planned {
        var line: Int
        var draft: PostService.Draft
        var media: [(url: URL, bytes: Data)]
    }

    func importing(_ text: String, into workspace: Workspace, by member: User, dryRun: Bool) async throws -> Outcome {
        guard text.utf8.count <= Self.longestFile else {
            throw ServiceError.invalid(["file": "The file is larger than 5 MB: send it in parts."], message: "Nothing was imported.")
        }
        let rows = try CSVText.rows(text, longestField: ComposeService.maximumTextLength * 4, mostRows: Self.mostRows, rowsAre: "posts")
        guard let header = rows.first else {
            throw ServiceError.invalid(["file": "The file is empty: its first line names the columns (\(Self.columns.joined(separator: ", ")))."], message: "Nothing was imported.")
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_") }
        if let unknown = names.first(where: { !Self.columns.contains($0) }) {
            throw ServiceError.invalid(["file": "The column \"\(unknown.prefix(40))\" is not one Trestle reads: name the columns \(Self.columns.joined(separator: ", "))."],
                                       message: "Nothing was imported.")
        }
        guard names.contains("text"), Set(names).count == names.count else {
            throw ServiceError.invalid(["file": "The first line must name the column text, and no column twice."], message: "Nothing was imported.")
        }
        if let column = names.firstIndex(of: "media_urls") {
            let addresses = rows.dropFirst().reduce(0) { $0 + (column < $1.count ? Self.split($1[column], by: " ").count : 0) }
            guard addresses <= Self.mostMediaPerFile else {
                throw ServiceError.invalid(["file": "The file names \(addresses) media addresses; import at most \(Self.mostMediaPerFile) at once, in parts."],
                                           message: "Nothing was imported.")
            }
        }
        let channels = try await Channel.query(on: db).filter(\.$workspace.$id == workspace.requireID()).all()
        var mediaBudget = Self.mostMediaBytesPerFile
        var reports: [Row] = []
        var planned: [Planned] = []
        for (offset, fields) in rows.dropFirst().enumerated() where !(fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty) {
            var values: [String: String] = [:]
            for (index, name) in names.enumerated() where index < fields.count { values[name] = fields[index] }
            let (plan, problems) = await check(values, line: offset + 2, channels: channels, in: workspace, by: member, mediaBudget: &mediaBudget)
            reports.append(Row(line: offset + 2, problems: problems))
            if let plan, problems.isEmpty { planned.append(plan) }
        }
        guard !reports.isEmpty else {
            throw ServiceError.invalid(["file": "The file names its columns but has no posts."], message: "Nothing was imported.")
        }
        var outcome = Outcome(rows: reports, created: [], dryRun: dryRun)
        guard outcome.isClean, !dryRun else { return outcome }
        let plans = planned
        outcome.created = try await db.transaction { db in
            var made: [UUID] = []
            let media = MediaService(db: db)
            for plan in plans {
                var draft = plan.draft
                var ids: [UUID] = []
                for file in plan.media {
                    ids.append(try await media.upload(file.bytes, filename: file.url.lastPathComponent, altText: "", to: workspace, by: member).requireID())
                }
                draft.media = ids
                do {
                    made.append(try await wiring.posts(on: db).create(draft, in: workspace, by: member).requireID())
                } catch let error as ServiceError where error.kind == .invalid {
                    // Something the check could not foresee (the queue filled meanwhile): the
                    // whole file is refused, naming the line.
                    throw ServiceError.invalid(["line \(plan.line)": error.fields.values.sorted().joined(separator: " ")],
                                               message: "Line \(plan.line) could not be made, so none was imported.")
                }
            }
            return made
        }
        return outcome
    }

    /// One row's post, or why it cannot be made; every problem is found, not only the first.
    private func check(
        _ values: [String: String], line: Int, channels known: [Channel], in workspace: Workspace, by member: User, mediaBudget: inout Int
    ) async -> (Planned?, [String]) {
        var problems: [String] = []
        let text = (values["text"] ?? "").withUnixLineBreaks.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { problems.append("text: write something; a post needs text.") }
        var chosen: [Channel] = []
        for name in Self.split(values["channels"] ?? "", by: " ;|") {
            let key = String(name.lowercased().trimmingPrefix("@"))
            if let channel = known.first(where: { $0.id?.uuidString.lowercased() == key || String($0.handle.lowercased().trimmingPrefix("@")) == key }) {
                if !chosen.contains(where: { $0.id == channel.id }) { chosen.append(channel) }
            } else {
                problems.append("channels: no channel \(name.prefix(60)) in this workspace.")
            }
        }
        var when: DeliveryService.When?
        let time = (values["time"] ?? "").trimmingCharacters(in: .whitespaces)
        if time.lowercased() == "queue" {
            when = .queue
            for channel in chosen where channel.queueSchedule.nextFree(from: wiring.clock.now(), taken: []) == nil {
                problems.append("time: \(channel.handle) has no posting times for the queue; give a time instead.")
            }
        } else if !time.isEmpty {
            if let instant = ReportPeriod.instant(time) {
                if instant < wiring.clock.now().addingTimeInterval(-60) { problems.append("time: \(time) has passed.") } else { when = .at(instant) }
            } else {
                problems.append("time: give an instant such as 2026-12-24T09:00:00+01:00, queue, or nothing for a draft.")
            }
        }
        if when != nil, chosen.isEmpty { problems.append("channels: name at least one channel to schedule this post, or leave time empty for a draft.") }
        if when != nil, workspace.approvalsRequired > 0 {
            problems.append("time: this workspace asks for approvals before a post is scheduled; import it as a draft and ask the team.")
        }
        var media: [(URL, Data)] = []
        var items: [MediaItem] = []
        let addresses = Self.split(values["media_urls"] ?? "", by: " ")
        if addresses.count > MediaRules.mostPerPost {
            problems.append("media_urls: a post carries at most \(MediaRules.mostPerPost) images or videos.")
        } else {
            for address in addresses {
                guard mediaBudget > 0 else {
                    problems.append("media_urls: the file's media pass \(Self.mostMediaBytesPerFile >> 20) MB in all; import it in parts.")
                    break
                }
                do {
                    let (url, bytes) = try await fetch(address)
                    mediaBudget -= bytes.count
                    items.append(try MediaService.item(for: bytes, filename: url.lastPathComponent, altText: "", workspaceID: workspace.requireID(), uploaderID: member.requireID()))
                    media.append((url, bytes))
                } catch let error as ServiceError {
                    problems.append("media_urls: \(address.prefix(80)): \(error.fields.values.first ?? error.message)")
                } catch let error as NetworkError {
                    problems.append("media_urls: \(address.prefix(80)): \(error.description)")
                } catch {
                    problems.append("media_urls: \(address.prefix(80)) could not be fetched.")
                }
            }
        }
        // Each network's own rules, for the channels it goes to now.
        if when != nil, problems.isEmpty {
            let content = PostContent(text: text, thread: [], variants: [:])
            let base = wiring.publicURL?.absoluteString.trimmingSuffix("/")
            for channel in chosen {
                if channel.status == .needsReconnect { problems.append("\(channel.handle): Trestle can no longer post here; connect it again.") }
                problems += content.problems(on: channel, media: items, shortLinksUnder: base).map { "\(channel.network.displayName) \($0)" }
            }
        }
        let draft = PostService.Draft(text: text, channels: chosen.compactMap { $0.id?.uuidString }, schedule: when)
        return (Planned(line: line, draft: draft, media: media), problems)
    }

    /// The file at an http(s) address, through the guarded client: public addresses only (or
    /// those the operator allows), at most 20 MB.
    private func fetch(_ address: String) async throws -> (URL, Data) {
        guard (try? LinkService.destination(address)) != nil, let url = URL(string: address) else {
            throw ServiceError.invalid(["media_urls": "give an address that starts with https:// or http://."])
        }
        var http = wiring.http
        http.maximumResponseBytes = Self.longestMediaFile
        let response = try await http.send(.GET, url)
        guard (200..<300).contains(response.status) else {
            throw ServiceError.invalid(["media_urls": "the server answered \(response.status)."])
        }
        return (url, response.body)
    }

    private static func split(_ text: String, by separators: String) -> [String] {
        text.split(whereSeparator: { separators.contains($0) || $0.isNewline }).map(String.init).filter { !$0.isEmpty }
    }

    // MARK: Export

    static let exportHeader = [
        "post_id", "created_at", "author", "status", "text", "delivery_id", "channel", "state", "scheduled_at", "published_at", "remote_url", "error",
    ]

    /// Every post of the workspace, oldest first: a line per delivery with its outcome, one line
    /// for a draft.
    func export(of workspace: Workspace) async throws -> String {
        let posts = try await Post.query(on: db).filter(\.$workspace.$id == workspace.requireID()).filter(\.$answersItemID == nil)
            .with(\.$deliveries).sort(\.$createdAt).sort(\.$id).all()
        let authorIDs = Array(Set(posts.compactMap { $0.$author.id }))
        let authors = authorIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ authorIDs).all()
        let emails = Dictionary(uniqueKeysWithValues: authors.compactMap { user in user.id.map { ($0, user.email) } })
        let stamp = ISO8601DateFormatter()
        var rows = [Self.exportHeader]
        for post in posts {
            let deliveries = post.deliveries.sorted { ($0.scheduledAt, $0.channelHandle) < ($1.scheduledAt, $1.channelHandle) }
            let common = [
                try post.requireID().uuidString, post.createdAt.map(stamp.string) ?? "", post.$author.id.flatMap { emails[$0] } ?? "",
                PostDTO.status(post.status, deliveries), ([post.text] + post.thread).joined(separator: "\n\n"),
            ]
            if deliveries.isEmpty { rows.append(common + Array(repeating: "", count: 7)) }
            for delivery in deliveries {
                rows.append(common + [
                    try delivery.requireID().uuidString, delivery.channelHandle, delivery.state.rawValue, stamp.string(from: delivery.scheduledAt),
                    delivery.publishedAt.map(stamp.string) ?? "", delivery.remoteURL ?? "", delivery.error ?? "",
                ])
            }
        }
        return CSVText.document(rows)
    }
}
