import Fluent
import Foundation
import TextRules

/// Posts of a workspace, written once for the channels they go to. Without a schedule a post
/// is a draft; with one it is checked against every channel's rules and gets a delivery per
/// channel, in the same transaction.
struct PostService: Sendable {
    static let maximumParts = 25

    let db: any Database
    let wiring: Wiring

    /// What a person sends to create or change a post; `nil` leaves a field as it is.
    struct Draft: Sendable {
        var text: String?
        var thread: [String]?
        var channels: [String]?
        var variants: [String: String]?
        var media: [UUID]?
        /// When to publish; nil keeps a draft a draft (and a scheduled post's times as they are).
        var schedule: DeliveryService.When?
        var shortenLinks: Bool?
        /// nil: unchanged; `.some(nil)`: none.
        var campaign: String??
    }

    /// `author` is nil for a post made by the feed bridge for someone who has since left;
    /// `idea`, the idea of the board it is drafted from.
    @discardableResult
    func create(_ draft: Draft, in workspace: Workspace, by author: User?, idea: UUID? = nil) async throws -> Post {
        let post = Post(workspaceID: try workspace.requireID(), authorID: try author?.requireID(), text: "", thread: [])
        post.ideaID = idea
        let channels = try await apply(draft, to: post, in: workspace, creating: true)
        if draft.schedule != nil { try await ApprovalService(db: db, wiring: wiring).requireApproval(of: post, in: workspace) }
        try await db.transaction { db in
            try await post.create(on: db)
            try await post.$channels.attach(channels, on: db)
            if let when = draft.schedule {
                try await wiring.deliveries(on: db).schedule(post, to: channels, when: when)
                try await post.save(on: db)
            }
            try await wiring.activity(on: db).record(draft.schedule == nil ? .drafted : .scheduled, in: post.$workspace.id, by: post.$author.id,
                                                     post: post.requireID(), ActivityLog.excerpt(of: post))
        }
        try await load(post)
        return post
    }

    /// Changes the post. Editing a scheduled post changes what its deliveries will publish,
    /// never how many there are; a new schedule moves the pending ones, and channels added or
    /// removed gain or lose theirs.
    func update(_ post: Post, in workspace: Workspace, with draft: Draft, by editor: User?) async throws {
        let said = (post.text, post.thread, post.variants, post.media)
        let channels = try await apply(draft, to: post, in: workspace, creating: false)
        // What the post says changed: a new version, which approvals are asked for again.
        let edited = said != (post.text, post.thread, post.variants, post.media)
        if edited { post.version += 1 }
        let editorID = try editor?.requireID()
        if draft.schedule != nil { try await ApprovalService(db: db, wiring: wiring).requireApproval(of: post, in: workspace) }
        try await db.transaction { db in
            try await post.save(on: db)
            if draft.channels != nil {
                try await post.$channels.detachAll(on: db)
                try await post.$channels.attach(channels, on: db)
            }
            let deliveries = wiring.deliveries(on: db)
            if let when = draft.schedule {
                try await deliveries.schedule(post, to: channels, when: when)
                try await post.save(on: db)
            } else if post.status == .scheduled, draft.channels != nil {
                // New channels go with the others: at the earliest time still pending, else now.
                let pending = try await Delivery.query(on: db).filter(\.$post.$id == post.requireID()).all()
                    .filter { $0.state.isPending }.map(\.scheduledAt).min()
                try await deliveries.schedule(post, to: channels, when: pending.map { .at($0) } ?? .now)
            }
            let activity = wiring.activity(on: db)
            if edited { try await activity.record(.edited, in: post.$workspace.id, by: editorID, post: post.requireID(), ActivityLog.excerpt(of: post)) }
            if draft.schedule != nil { try await activity.record(.scheduled, in: post.$workspace.id, by: editorID, post: post.requireID(), ActivityLog.excerpt(of: post)) }
        }
        try await load(post)
    }

    /// Sends the failed deliveries again; the rest are left as they are.
    func retry(_ post: Post) async throws {
        try await db.transaction { db in
            try await wiring.deliveries(on: db).retryFailed(of: post)
        }
        try await load(post)
    }

    private func load(_ post: Post) async throws {
        try await post.$channels.load(on: db)
        try await post.$deliveries.load(on: db)
    }

    /// The workspace's posts, latest change first, with their channels.
    func posts(in workspace: Workspace) async throws -> [Post] {
        try await Post.query(on: db)
            .filter(\.$workspace.$id == workspace.requireID())
            .filter(\.$answersItemID == nil)
            .with(\.$channels)
            .with(\.$deliveries)
            .sort(\.$updatedAt, .descending)
            .all()
    }

    func post(_ id: UUID, in workspace: Workspace) async throws -> Post {
        guard
            let post = try await Post.query(on: db)
                .filter(\.$id == id)
                .filter(\.$workspace.$id == workspace.requireID())
                .filter(\.$answersItemID == nil)
                .with(\.$channels)
                .with(\.$deliveries)
                .first()
        else { throw ServiceError.notFound("This post") }
        return post
    }

    /// Deletes the post, canceling what has not been published in the same transaction. What
    /// was published stays on the networks. While a delivery is being sent the post waits.
    func delete(_ post: Post) async throws {
        try await db.transaction { db in
            guard try await wiring.deliveries(on: db).cancelPending(of: post) else {
                throw ServiceError.conflict("publishing_now", "This post is being published right now. Try again in a moment.")
            }
            try await SiteService(db: db).postLeaves(post, at: wiring.clock.now())
            try await post.delete(on: db)
        }
    }

    /// Checks `draft` and copies it onto `post`; returns the channels it goes to.
    private func apply(_ draft: Draft, to post: Post, in workspace: Workspace, creating: Bool) async throws -> [Channel] {
        var problems: [String: String] = [:]
        // Browsers send a textarea's line breaks as CRLF, while the composer counts LF (and X
        // would count CRLF as two): one line break is stored as one.
        let text = (draft.text ?? post.text).withUnixLineBreaks
        let thread = (draft.thread ?? post.thread).map(\.withUnixLineBreaks)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems["text"] = "Write something: a post needs text."
        } else if text.utf16.count > ComposeService.maximumTextLength {
            problems["text"] = "This text is longer than any network accepts."
        }
        if thread.count + 1 > Self.maximumParts {
            problems["thread"] = "A thread can have at most \(Self.maximumParts) parts."
        } else if let empty = thread.firstIndex(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            problems["thread"] = "Part \(empty + 2) is empty: write it or remove it."
        } else if thread.contains(where: { $0.utf16.count > ComposeService.maximumTextLength }) {
            problems["thread"] = "A part is longer than any network accepts."
        }
        var channels: [Channel] = []
        if let ids = draft.channels {
            do {
                channels = try await self.channels(ids, in: workspace)
            } catch let error as ServiceError {
                problems.merge(error.fields) { first, _ in first }
            }
        } else if !creating {
            channels = try await post.$channels.get(reload: true, on: db)
        }
        let channelIDs = Set(channels.compactMap { $0.id?.uuidString.lowercased() })
        // A stored text for a channel the post no longer goes to is dropped with the channel;
        // one sent now must name a network or one of the post's channels.
        let stored = post.variants.filter { Network(rawValue: $0.key) != nil || channelIDs.contains($0.key.lowercased()) }
        // Empty variants mean "use the post's text" and are dropped rather than stored.
        let variants = (draft.variants ?? stored).mapValues(\.withUnixLineBreaks)
            .filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if let key = variants.keys.sorted().first(where: { Network(rawValue: $0) == nil && !channelIDs.contains($0.lowercased()) }) {
            problems["variants"] = "A variant for \(key.prefix(40)) needs that channel among the post's channels, or a network name such as x or bluesky."
        } else if variants.values.contains(where: { $0.utf16.count > ComposeService.maximumTextLength }) {
            problems["variants"] = "A variant is longer than any network accepts."
        }
        // A scheduled post's edits must fit its channels as much as its first schedule did.
        let checksChannels = draft.schedule != nil || post.status == .scheduled
        if checksChannels && channels.isEmpty && problems["channels"] == nil {
            problems["channels"] = "Choose at least one channel to schedule this post; without a schedule it is saved as a draft."
        }
        let campaign = draft.campaign.map { $0?.trimmingCharacters(in: .whitespacesAndNewlines) } ?? post.campaign
        if let campaign, campaign.unicodeScalars.count > LinkService.longestCampaign {
            problems["campaign"] = "Keep a campaign's name under \(LinkService.longestCampaign) characters."
        }
        post.shortensLinks = draft.shortenLinks ?? post.shortensLinks
        post.campaign = campaign?.isEmpty == true ? nil : campaign
        let media = draft.media ?? post.media
        var mediaItems: [MediaItem] = []
        if media.count > MediaRules.mostPerPost {
            problems["media"] = "A post carries at most \(MediaRules.mostPerPost) images or videos; this one has \(media.count)."
        } else if Set(media).count != media.count {
            problems["media"] = "The same image or video is attached twice."
        } else if problems.isEmpty {
            do {
                mediaItems = try await MediaService(db: db).items(media, in: workspace)
            } catch let error as ServiceError {
                problems.merge(error.fields) { first, _ in first }
            }
        }
        guard problems.isEmpty else {
            throw ServiceError.invalid(problems, message: creating ? "The post was not saved." : "The post was not changed.")
        }
        if checksChannels {
            let content = PostContent(text: text, thread: thread, variants: variants)
            let shortener = LinkShortener(db: db, wiring: wiring)
            var unfit: [String] = []
            for channel in channels {
                if channel.status == .needsReconnect {
                    unfit.append("\(channel.handle): Trestle can no longer post here (\(channel.problem ?? "the network refused the credentials")). Connect it again under Channels.")
                }
                // Counted as they will go out: with short links where they will be shortened.
                let base = try await shortener.applies(to: post, on: channel) ? wiring.publicURL?.absoluteString.trimmingSuffix("/") : nil
                unfit += content.problems(on: channel, media: mediaItems, shortLinksUnder: base)
            }
            guard unfit.isEmpty else {
                throw ServiceError.invalid(["schedule": unfit.joined(separator: " ")], message: "The post does not fit every channel, so it was not scheduled.")
            }
            if case let .at(instant) = draft.schedule, instant < wiring.clock.now().addingTimeInterval(-60) {
                throw ServiceError.invalid(["schedule": "That time has passed; choose a later one, or post now."], message: "The post was not scheduled.")
            }
        }
        post.text = text
        post.thread = thread
        post.media = media
        post.variants = variants
        return channels
    }

    /// The workspace's channels with these ids, in that order; an id that is not one of them
    /// is a field error.
    func channels(_ ids: [String], in workspace: Workspace) async throws -> [Channel] {
        var uuids: [UUID] = []
        for id in ids {
            guard let uuid = UUID(uuidString: id) else {
                throw ServiceError.invalid(["channels": "Unknown channel \(id.prefix(40)). Connect the channel first, then choose it."])
            }
            if !uuids.contains(uuid) { uuids.append(uuid) }
        }
        guard !uuids.isEmpty else { return [] }
        let found = try await Channel.query(on: db)
            .filter(\.$id ~~ uuids)
            .filter(\.$workspace.$id == workspace.requireID())
            .all()
        let byID = Dictionary(uniqueKeysWithValues: found.compactMap { channel in channel.id.map { ($0, channel) } })
        if let missing = uuids.first(where: { byID[$0] == nil }) {
            throw ServiceError.invalid(["channels": "Unknown channel \(missing.uuidString). Connect the channel first, then choose it."])
        }
        return uuids.compactMap { byID[$0] }
    }
}

extension String {
    var withUnixLineBreaks: String {
        replacingOccurrences(of: "\r\n", with: "\n")
    }
}
