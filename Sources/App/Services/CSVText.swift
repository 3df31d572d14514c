import Foundation

/// CSV as RFC 4180 has it, read and written: quoting (`"a, b"`, `""` for a quote), commas or
/// semicolons, CRLF or LF. Reading is bounded — a field's length, fields a row, rows a file — and
/// a refusal names the line; writing keeps a cell that starts like a formula from running as one.
enum CSVText {
    static let mostFields = 50

    /// Fields per row, quoting undone; `rowsAre` names the rows in a refusal ("orders").
    static func rows(_ text: String, longestField: Int, mostRows: Int, rowsAre: String) throws -> [[String]] {
        let firstLine = text.prefix(while: { $0 != "\n" && $0 != "\r\n" })
        let separator: Character = firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    quoted = false
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                // A quote inside a quoted field is written twice.
                if wasQuoted { field.append("\"") }
                quoted = true
                wasQuoted = true
            } else if character == separator {
                row.append(field)
                field = ""
                wasQuoted = false
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                wasQuoted = false
            } else {
                field.append(character)
            }
            guard field.utf8.count <= longestField else { throw invalid("Line \(rows.count + 1) has a field longer than \(longestField) characters.") }
            guard row.count <= mostFields else { throw invalid("Line \(rows.count + 1) has more than \(mostFields) fields.") }
            guard rows.count <= mostRows + 1 else { throw invalid("The file has more than \(mostRows) \(rowsAre): send it in parts.") }
        }
        guard !quoted else { throw invalid("A quote opened on line \(rows.count + 1) is never closed.") }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// One cell to write: quoted when it must be, and with a leading `'` when it starts like a
    /// spreadsheet formula.
    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Rows as a CSV document, CRLF after each.
    static func document(_ rows: [[String]]) -> String {
        rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private static func invalid(_ message: String) -> ServiceError {
        ServiceError.invalid(["file": message], message: "Nothing was imported.")
    }
}
