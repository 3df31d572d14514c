import Foundation

/// What the instance counts for the account's statuses, as `GET /api/v1/statuses/:id` shows it
/// (`favourites_count`, `reblogs_count`, `replies_count`, `quotes_count` from Mastodon 4.5),
/// and statuses deleted since they were posted (404 `Record not found`).
extension FakeMastodon {
    /// Sets the counts the instance shows for status `id`; the others stay as they were.
    func setCounts(of id: String, likes: FakeCount? = nil, reblogs: FakeCount? = nil, replies: FakeCount? = nil, quotes: FakeCount? = nil) {
        controls.counts.withLock { counts in
            var these = counts[id] ?? [:]
            if let likes { these["favourites_count"] = likes }
            if let reblogs { these["reblogs_count"] = reblogs }
            if let replies { these["replies_count"] = replies }
            if let quotes { these["quotes_count"] = quotes }
            counts[id] = these
        }
    }

    /// The account deletes status `id`.
    func deleteStatus(_ id: String) {
        controls.statuses.withLock { $0.removeAll { $0.id == id } }
    }

    /// How often status `id` was read.
    func reads(of id: String) -> Int {
        controls.statusReads.withLock { $0.filter { $0 == id }.count }
    }
}

extension FakeMastodon.Controls {
    /// The counts of status `id` as entity fields: 0 for each unless set.
    func countsJSON(of id: String) -> [String: Any] {
        var fields: [String: Any] = ["favourites_count": 0, "reblogs_count": 0, "replies_count": 0, "quotes_count": 0]
        for (key, value) in counts.withLock({ $0[id] ?? [:] }) { fields[key] = value.json }
        return fields
    }
}
