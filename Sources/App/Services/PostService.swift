import Fluent
import Foundation
import TextRules

/// Posts of a workspace. For now every post is a draft: channels, and with them variants and
/// schedules, arrive with the channel capability; the rules for them are already enforced here.
struct PostService: Sendable {
    static let maximumParts = 25

    let db: any Database

    /// What a person sends to create or change a post; `nil` leaves a field as it is.
    struct Draft: Sendable {
        var text: String?
        var thread: [String]?
        var channels: [String]?
        var variants: [String: String]?
        var media: [UUID]?
        var wantsSchedule = false
    }

    @discardableResult
    func create(_ draft: Draft, in workspace: Workspace, by author: User) async throws -> Post {
        let post = Post(workspaceID: try workspace.requireID(), authorID: try author.requireID(), text: "", thread: [])
        try await apply(draft, to: post, in: workspace, creating: true)
        try await post.create(on: db)
        return post
    }

    func update(_ post: Post, in workspace: Workspace, with draft: Draft) async throws {
        try await apply(draft, to: post, in: workspace, creating: false)
        try await post.save(on: db)
    }

    func posts(in workspace: Workspace) async throws -> [Post] {
        try await Post.query(on: db)
            .filter(\.$workspace.$id == workspace.requireID())
            .sort(\.$updatedAt, .descending)
            .all()
    }

    func post(_ id: UUID, in workspace: Workspace) async throws -> Post {
        guard
            let post = try await Post.query(on: db)
                .filter(\.$id == id)
                .filter(\.$workspace.$id == workspace.requireID())
                .first()
        else { throw AppError.notFound("This post") }
        return post
    }

    func delete(_ post: Post) async throws {
        try await post.delete(on: db)
    }

    private func apply(_ draft: Draft, to post: Post, in workspace: Workspace, creating: Bool) async throws {
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
        // No channel can be named yet: channels arrive with their own capability.
        let channels = draft.channels ?? []
        if let unknown = channels.first {
            problems["channels"] = "Unknown channel \(unknown.prefix(40)). Connect the channel first, then choose it."
        }
        // Empty variants mean "use the post's text" and are dropped rather than stored.
        let variants = (draft.variants ?? post.variants).mapValues(\.withUnixLineBreaks)
            .filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if let key = variants.keys.sorted().first(where: { Network(rawValue: $0) == nil && !channels.contains($0) }) {
            problems["variants"] = "A variant for \(key.prefix(40)) needs that channel among the post's channels, or a network name such as x or bluesky."
        } else if variants.values.contains(where: { $0.utf16.count > ComposeService.maximumTextLength }) {
            problems["variants"] = "A variant is longer than any network accepts."
        }
        if draft.wantsSchedule && channels.isEmpty && problems["channels"] == nil {
            problems["channels"] = "Choose at least one channel to schedule this post; without a schedule it is saved as a draft."
        }
        let media = draft.media ?? post.media
        if media.count > MediaRules.mostPerPost {
            problems["media"] = "A post carries at most \(MediaRules.mostPerPost) images or videos; this one has \(media.count)."
        } else if Set(media).count != media.count {
            problems["media"] = "The same image or video is attached twice."
        } else if problems.isEmpty {
            do {
                _ = try await MediaService(db: db).items(media, in: workspace)
            } catch let error as AppError {
                problems.merge(error.fields) { first, _ in first }
            }
        }
        guard problems.isEmpty else {
            throw AppError.invalid(problems, message: creating ? "The post was not saved." : "The post was not changed.")
        }
        post.text = text
        post.thread = thread
        post.media = media
        post.variants = variants
    }
}

extension String {
    var withUnixLineBreaks: String {
        replacingOccurrences(of: "\r\n", with: "\n")
    }
}
