import Foundation

/// Where the reading of a Bluesky account's notifications stands: the opaque cursor the app
/// stores with what each reading returned.
///
/// `listNotifications` only pages from the newest to older ones, so hearing what is new is a
/// walk down from the newest page until it meets what was read before (`seen`). A walk that
/// takes longer than one reading (many notifications since the last poll, or a poll stopped
/// half-way by a restart) leaves `resume`: the service's cursor of the next older page and the
/// newest notification of the walk. The next reading continues down from there instead of
/// starting at the top, so the part not yet read is not skipped, and only when the walk meets
/// `seen` does `seen` move up to the walk's newest. What arrived meanwhile is above the walk's
/// newest and is read by the walk after.
///
/// `seen` is an instant (`indexedAt`) and the notifications read at exactly that instant, as
/// several can share one: one at that instant not among them is new, any earlier one is old.
/// Likes and reposts are counted, not kept once by their id, so reading one twice would count
/// it twice; the instant and its ids keep that from happening.
struct BlueskyInboxCursor: Codable, Equatable {
    /// An instant, and the notifications read at it.
    struct Mark: Codable, Equatable {
        /// `indexedAt` as the service wrote it.
        var at: String
        var uris: [String]

        /// Ids kept at one instant; more there than a page holds is not seen in practice, and
        /// past this some may be read twice.
        static let mostURIs = 100
        /// An id longer than this is not kept (a real one is under 200 bytes), so what a service
        /// sends cannot make the stored cursor large; such a one may be read twice.
        static let longestURI = 512

        init(at: String, uris: [String]) {
            self.at = at
            self.uris = Array(uris.filter { $0.utf8.count <= Self.longestURI }.suffix(Self.mostURIs))
        }

        var date: Date? { BlueskyTime.date(at) }
    }

    struct Resume: Codable, Equatable {
        /// The service's cursor of the next, older page.
        var page: String
        /// The newest notification of the walk, which becomes `seen` when the walk ends.
        var top: Mark
    }

    /// The version of this shape, so a later one can tell an older cursor.
    var v = 1
    /// Everything before `seen.at`, and `seen.uris` at it, has been read; nil when nothing has.
    var seen: Mark?
    var resume: Resume?

    /// The stored text's cursor; nil when there is none or it is not one Trestle wrote, and the
    /// reading then starts as for a channel just connected.
    init?(_ text: String?) {
        guard let text, let cursor = try? JSONDecoder().decode(Self.self, from: Data(text.utf8)), cursor.v == 1,
              cursor.seen.map({ $0.date != nil }) ?? true, cursor.resume.map({ $0.top.date != nil }) ?? true else { return nil }
        self = cursor
    }

    init(seen: Mark?, resume: Resume? = nil) {
        self.seen = seen
        self.resume = resume
    }

    func text() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    /// Whether `notification` was read before: at or before the instant `seen` marks.
    func hasRead(_ notification: BlueskyNotification) -> Bool {
        guard let seen, let seenDate = seen.date else { return false }
        if notification.indexedDate < seenDate { return true }
        return notification.indexedDate == seenDate && seen.uris.contains(notification.uri)
    }

    /// Whether `notification` is older than `seen`: the walk has met what was read before.
    func isBeforeSeen(_ notification: BlueskyNotification) -> Bool {
        guard let seenDate = seen?.date else { return false }
        return notification.indexedDate < seenDate
    }

    /// The newest of `notifications`, as a mark.
    static func newest(of notifications: [BlueskyNotification]) -> Mark? {
        guard let newest = notifications.max(by: { $0.indexedDate < $1.indexedDate }) else { return nil }
        let uris = notifications.filter { $0.indexedDate == newest.indexedDate }.map(\.uri)
        return Mark(at: newest.indexedAt, uris: uris)
    }

    /// The later of two marks; at the same instant, the ids of both.
    static func later(_ a: Mark?, _ b: Mark?) -> Mark? {
        guard let a, let aDate = a.date else { return b }
        guard let b, let bDate = b.date else { return a }
        if aDate == bDate {
            var uris = a.uris
            for uri in b.uris where !uris.contains(uri) { uris.append(uri) }
            return Mark(at: a.at, uris: uris)
        }
        return aDate > bDate ? a : b
    }
}
