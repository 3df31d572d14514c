import Foundation

/// A CSV of orders as a shop system exports it: a header naming the columns (any order, any
/// case; `kind`, `order_id`, `value`, `currency`, `click_id`, `occurred_at` — `kind` and
/// `order_id` required), then one order per line. RFC 4180 quoting (`"a, b"`, `""` for a quote),
/// commas or semicolons, CRLF or LF. Bounded: at most `mostRows` rows of `longestField` each.
enum ConversionCSV {
    static let mostRows = 50_000
    static let longestField = 1_000
    static let longestText = 20_000_000

    /// The reports, each with its line number (the header is line 1).
    static func reports(from text: String) throws -> [(line: Int, report: ConversionService.Report)] {
        guard text.utf8.count <= longestText else { throw invalid("The file is larger than 20 MB: send it in parts.") }
        let rows = try self.rows(text)
        guard let header = rows.first else { throw invalid("The file is empty: its first line names the columns.") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_") }
        let known = ["kind", "order_id", "value", "currency", "click_id", "occurred_at"]
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw invalid("The column \"\(unknown.prefix(40))\" is not one Trestle reads: name the columns \(known.joined(separator: ", ")).")
        }
        guard names.contains("kind"), names.contains("order_id") else { throw invalid("The first line must name at least the columns kind and order_id.") }
        guard Set(names).count == names.count else { throw invalid("A column is named twice in the first line.") }
        var reports: [(Int, ConversionService.Report)] = []
        for (offset, row) in rows.dropFirst().enumerated() where !(row.count == 1 && row[0].isEmpty) {
            var report = ConversionService.Report()
            for (index, name) in names.enumerated() {
                let field = index < row.count ? row[index].trimmingCharacters(in: .whitespaces) : ""
                guard !field.isEmpty else { continue }
                switch name {
                case "kind": report.kind = field.lowercased()
                case "order_id": report.orderID = field
                case "value": report.value = number(field)
                case "currency": report.currency = field
                case "click_id": report.clickID = field
                case "occurred_at": report.occurredAt = ISO8601DateFormatter().date(from: field) ?? Date.distantFuture
                default: break
                }
            }
            reports.append((offset + 2, report))
        }
        return reports
    }

    /// A value as `12.50` or `12`; anything else (a decimal comma, a thousands separator, an
    /// exponent) is not a number, so the line is refused rather than misread.
    static func number(_ field: String) -> Decimal {
        guard field.utf8.count <= 20, field.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?/) != nil else { return .nan }
        return Decimal(string: field, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
    }

    /// Fields per row, quoting undone.
    static func rows(_ text: String) throws -> [[String]] {
        try CSVText.rows(text, longestField: longestField, mostRows: mostRows, rowsAre: "orders")
    }

    private static func invalid(_ message: String) -> ServiceError {
        ServiceError.invalid(["file": message], message: "Nothing was imported.")
    }
}
