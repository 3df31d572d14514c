import Foundation

/// The instants a report covers, `[from, to)`: the last 30 days unless asked otherwise, and
/// never more than 366 days, so one report stays one quick pass over each table.
struct ReportPeriod: Sendable, Equatable {
    static let longestDays = 366
    static let defaultDays = 30

    let from: Date
    let to: Date

    /// A period the service accepts, or the fields that say why not.
    init(from: Date, to: Date) throws {
        guard from < to else {
            throw ServiceError.invalid(["from": "Start the period before it ends."], message: "The report's period is not one Trestle can read.")
        }
        guard to.timeIntervalSince(from) <= Double(Self.longestDays) * 86_400 else {
            throw ServiceError.invalid(["to": "A report covers at most \(Self.longestDays) days."], message: "The report's period is not one Trestle can read.")
        }
        self.from = from
        self.to = to
    }

    /// The `days` before `now`.
    static func last(_ days: Int, before now: Date) -> ReportPeriod {
        let days = min(max(days, 1), longestDays)
        return try! ReportPeriod(from: now.addingTimeInterval(-Double(days) * 86_400), to: now)
    }

    /// The API's `from` and `to` (RFC 3339 date-times, each optional): `to` defaults to now and
    /// `from` to 30 days before `to`.
    static func parse(from: String?, to: String?, now: Date) throws -> ReportPeriod {
        var problems: [String: String] = [:]
        let end = to.map { instant($0) } ?? now
        let start = from.map { instant($0) } ?? end.map { $0.addingTimeInterval(-Double(defaultDays) * 86_400) }
        if end == nil { problems["to"] = "Give an instant such as 2026-11-01T00:00:00Z." }
        if start == nil, from != nil { problems["from"] = "Give an instant such as 2026-10-01T00:00:00Z." }
        guard problems.isEmpty, let start, let end else {
            throw ServiceError.invalid(problems, message: "The report's period is not one Trestle can read.")
        }
        return try ReportPeriod(from: start, to: end)
    }

    /// What `instant` reads, as the OpenAPI document says it.
    static let instantPattern = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"#

    /// An RFC 3339 date-time (OpenAPI's `date-time`), with or without a fraction of a second.
    static func instant(_ text: String) -> Date? {
        let text = text.uppercased()
        guard text.utf8.count <= 64, (try? Regex(instantPattern).wholeMatch(in: text)) != nil else { return nil }
        // Month 13 or minute 61 would roll over into a later instant rather than be refused.
        let fields = text.split(whereSeparator: { "-T:.+Z".contains($0) }).prefix(6).compactMap { Int($0) }
        guard fields.count == 6, (1...12).contains(fields[1]), (1...31).contains(fields[2]), fields[3] < 24, fields[4] < 60, fields[5] < 60 else { return nil }
        // A report counts by the second; the fraction is dropped before parsing.
        return ISO8601DateFormatter().date(from: text.replacing(/(:\d{2})\.\d+/) { $0.output.1 })
    }
}
